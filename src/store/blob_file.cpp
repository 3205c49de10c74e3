// blob_file.cpp — see blob_file.h.
#include "store/blob_file.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "base/error.h"
#include "base/file_io.h"
#include "store/archive.h"

namespace kaappi {
std::string BlobFile::problem(std::int64_t expected_size) const {
  switch (state) {
    case State::ok: return "is intact";
    case State::missing: return "is missing";
    case State::not_regular: return std::string("is ") + what + ", not a regular file";
    case State::linked_folder: return "is behind a symbolic link (" + what + "), not in the archive's own folder";
    case State::wrong_size:
      return "has " + std::to_string(size) + " bytes, not the " + std::to_string(expected_size) +
             " its index entry records";
  }
  return {};
}

BlobFile open_blob(const Archive& archive, const Bytes& uid, std::int64_t expected_size) {
  return open_blob(archive.blob_path(uid), expected_size);
}

BlobFile open_blob(const std::string& path, std::int64_t expected_size) {
  BlobFile out;
  out.path = path;
  struct stat st {};
  // blobs/XX and blobs/: a link there would lead the read out of the archive.
  for (std::string folder = parent_dir(path), up = parent_dir(folder); const std::string& f : {folder, up})
    if (::lstat(f.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      out.state = BlobFile::State::linked_folder;
      out.what = f;
      return out;
    }
  out.fd = Fd(::open(out.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
  if (!out.fd.valid()) {
    // Something that is not a file to open (a link, a socket): named as what it is.
    if (::lstat(out.path.c_str(), &st) != 0) return out;  // missing
    out.state = BlobFile::State::not_regular;
    out.what = file_kind(st.st_mode);
    return out;
  }
  if (::fstat(out.fd.get(), &st) != 0) fail_errno("cannot read " + out.path);
  if (!S_ISREG(st.st_mode)) {
    out.fd.reset();
    out.state = BlobFile::State::not_regular;
    out.what = file_kind(st.st_mode);
    return out;
  }
  out.size = st.st_size;
  out.state = st.st_size == expected_size ? BlobFile::State::ok : BlobFile::State::wrong_size;
  return out;
}

}  // namespace kaappi
