// support.h — what the fuzz targets share: fixed keys (so a target gets past
// the signatures and MACs its seeds carry), input as a file, and the one rule
// every target checks: bad input is refused with a kaappi::Error, never a
// crash, another exception or an ErrorKind::internal ("a bug").
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "base/bytes.h"
#include "base/file_io.h"
#include "base/secret.h"
#include "format/public_key.h"
#include "format/station_key.h"
#include "keys/secret_keys.h"

namespace kaappi::fuzz {

// The archive every target and seed uses: a fixed id and X25519 key pair.
const ArchivePublicKey& archive_public();
const SecretBuffer& archive_box_secret();
// The same key's operations (opening what was sealed to the archive).
const SecretKeys& archive_secrets();
// The station that signs every seed envelope (a fixed Ed25519 key pair).
const StationKey& station();
// The document uid and key of every seed blob.
const Bytes& document_uid();
const SecretBuffer& document_key();

// A folder for the process's files, made on first use and removed at exit.
const std::string& scratch_dir();
// The input as an unnamed in-memory file, offset 0.
Fd file_with(const std::uint8_t* data, std::size_t size);

// Runs `parse`; a kaappi::Error is the expected answer to bad input, except
// ErrorKind::internal, which aborts (the fuzzer then saves the input).
void expect_refusal_or_success(const std::function<void()>& parse);

}  // namespace kaappi::fuzz
