// blob_file.h — opening a stored blob for reading: the one rule every reader
// of blobs/ follows (verify, get, ingest's read-back).
//
// The file is opened without following a symbolic link (neither the blob
// nor blobs/ and its fan-out folder may be one) and without blocking
// (a FIFO or a device put in its place neither hangs the reader nor is read),
// and it must be a regular file of exactly the size its signed row records
// before a single byte of it is hashed or decrypted: a 200 GB sparse file is
// refused at once, not read. Readers then read at most that many bytes.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/file_io.h"

namespace kaappi {

class Archive;

struct BlobFile {
  // missing: not there; linked_folder: blobs/ or its fan-out folder is a link (never followed)
  enum class State { ok, missing, not_regular, wrong_size, linked_folder };
  State state = State::missing;
  Fd fd;             // open when ok or wrong_size
  std::string path;  // where the blob belongs
  std::string what;  // not_regular: "a symbolic link", "a FIFO", "a device", "a folder", "a socket";
                     // linked_folder: the folder that is a link
  std::int64_t size = 0;  // wrong_size: its size

  // "is missing", "is a FIFO, not a regular file", "has 5 bytes, not the 100 its index entry records"
  std::string problem(std::int64_t expected_size) const;
};

BlobFile open_blob(const Archive& archive, const Bytes& uid, std::int64_t expected_size);
// The blob at `path` (Archive::blob_path_in): for an archive no Archive opens (a format-1 one).
BlobFile open_blob(const std::string& path, std::int64_t expected_size);

}  // namespace kaappi
