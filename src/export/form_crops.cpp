// form_crops.cpp — see form_crops.h.
#include "export/form_crops.h"

#include <cairo.h>

#include "base/error.h"
#include "export/output_folder.h"
#include "export/pdf_drawing.h"

namespace kaappi {
namespace {

cairo_status_t append_to(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

Bytes png_of(const BoxProposal& box) {
  pdf_drawing::Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, box.width, box.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) fail(ErrorKind::internal, "cairo cannot make an image");
  cairo_surface_flush(surface.get());
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < box.height; ++y)
    for (int x = 0; x < box.width; ++x) {
      const std::uint32_t g = box.crop[static_cast<size_t>(y) * static_cast<size_t>(box.width) + static_cast<size_t>(x)];
      *reinterpret_cast<std::uint32_t*>(data + y * stride + x * 4) = (g << 16) | (g << 8) | g;
    }
  cairo_surface_mark_dirty(surface.get());
  Bytes out;
  if (cairo_surface_write_to_png_stream(surface.get(), append_to, &out) != CAIRO_STATUS_SUCCESS)
    fail(ErrorKind::internal, "cairo could not write a PNG");
  return out;
}

}  // namespace

std::vector<std::string> write_form_crops(const std::vector<FormReview>& forms, const std::string& directory) {
  OutputFolder folder(directory);
  std::vector<std::string> names;
  for (const FormReview& r : forms)
    for (const FormPageRead& page : r.form.pages)
      for (const BoxProposal& box : page.boxes) {
        if (box.crop.empty()) continue;
        const std::string name = "document-" + std::to_string(r.document.id) + "-" + box.purpose + ".png";
        const Bytes png = png_of(box);
        folder.add(name);
        AtomicFile file(folder.dir(), name, 0600, "crop");
        file.write(png);
        file.commit(Overwrite::no);
        names.push_back(name);
      }
  folder.done();
  return names;
}

}  // namespace kaappi
