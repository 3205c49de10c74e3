// form_crops.h — kaappi review --crops: each box's crop of the scanned
// forms as a PNG (gray, as the PDF helper cut it from the page) in a new or
// empty private folder (export/output_folder.h), named
// document-ID-PURPOSE.png, for the person who confirms the readings. What a
// failed write made is removed again. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "consent/form_review.h"

namespace kaappi {

// The files written (their names in `directory`), in the forms' and boxes' order.
std::vector<std::string> write_form_crops(const std::vector<FormReview>& forms, const std::string& directory);

}  // namespace kaappi
