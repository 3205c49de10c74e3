// make_seeds.cpp — writes the seed corpora of the fuzz targets (one folder
// per target under the given folder), made with the library's own writers
// and the fixed keys of support.h, so the seeds reach past the signatures
// and MACs. Run by fuzz/make_corpus.sh; the seeds are committed.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "format/envelope.h"
#include "keys/key_file.h"
#include "pdf/form_code.h"
#include "support.h"

namespace {

using namespace kaappi;

std::string g_out;

void seed(const std::string& target, const std::string& name, ByteView bytes) {
  std::filesystem::create_directories(g_out + "/" + target);
  write_file_atomic(g_out + "/" + target + "/" + name, bytes, 0644, Overwrite::yes, "seed");
}
void seed(const std::string& target, const std::string& name, std::string_view text) {
  seed(target, name, as_bytes(text));
}

Bytes deflated(std::string_view text) {
  uLongf size = compressBound(text.size());
  Bytes out(size);
  if (compress(out.data(), &size, reinterpret_cast<const Bytef*>(text.data()), text.size()) != Z_OK) std::abort();
  out.resize(size);
  return out;
}

// A small PDF whose one content stream is Flate-compressed `content`.
Bytes pdf_with_stream(std::string_view content) {
  Bytes stream = deflated(content);
  std::string head = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                     "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
                     "3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
                     "4 0 obj\n<< /Length " + std::to_string(stream.size()) + " /Filter /FlateDecode >>\nstream\n";
  Bytes pdf(head.begin(), head.end());
  put_bytes(pdf, stream);
  put_bytes(pdf, as_bytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"));
  return pdf;
}

Bytes blob_of(std::string_view plain) {
  Fd in = fuzz::file_with(reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size());
  const std::string path = fuzz::scratch_dir() + "/seed.blob";
  AtomicFile out(path, "", 0600, "seed");
  write_blob(in.get(), out, fuzz::archive_public().archive_id, fuzz::document_uid(), fuzz::document_key(), 1 << 20);
  out.commit(Overwrite::yes);
  return read_file(path, 1 << 20);
}

Bytes blob_cut(std::uint32_t plain_size, std::uint32_t position, std::uint8_t damage, std::string_view extra) {
  Bytes b;
  put_u32(b, plain_size);
  put_u32(b, position);
  put_u8(b, damage);
  put_bytes(b, as_bytes(extra));
  return b;
}

const std::string k_summary =
    R"({"pages":1,"pdf_version":"1.4","metadata":{"Title":"Sopimus","Author":"","CreationDate":1772366400},)"
    R"("text":"Asiakasnumero: 1001\nSopimus","text_truncated":false,"unreadable_pages":[],"parser_warnings":[]})";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_make_seeds CORPUS_FOLDER KEYS_EXAMPLE\n");
    return 2;
  }
  g_out = argv[1];
  if (sodium_init() < 0) return 1;
  try {
    seed("key_file", "keys.example", read_file(argv[2], 1 << 20));
    SecretBuffer passphrase(8);
    std::fill(passphrase.data(), passphrase.data() + 8, 'p');
    UnlockedKey unlocked;
    seed("key_file", "generated.key", KeyFile::generate(passphrase, KdfCost::named("interactive"), unlocked).serialize());

    seed("public_key", "archive.txt", fuzz::archive_public().to_text());
    seed("public_key", "spaced.txt", "  " + fuzz::archive_public().to_text() + "\r\n");

    (void)fuzz::station();  // writes scratch/station.key
    seed("station_key", "station.key", read_file(fuzz::scratch_dir() + "/station.key", 1 << 20));
    seed("station_key", "public.txt", station_public_text(fuzz::station().public_key()) + "\n");

    seed("blob", "empty", blob_of(""));
    seed("blob", "short", blob_of("%PDF-1.4 a short document"));

    seed("blob_cut", "whole", blob_cut(1000, 0, 2, ""));
    seed("blob_cut", "cut-in-header", blob_cut(1000, 40, 0, ""));
    seed("blob_cut", "cut-at-chunk", blob_cut(70000, 68 + 65536 + 17, 0, ""));
    seed("blob_cut", "appended", blob_cut(65536, 0, 1, "x"));
    seed("blob_cut", "chunk-removed", blob_cut(140000, 68, 3, "\x11"));

    const Bytes pdf = pdf_with_stream("BT /F1 12 Tf 72 712 Td (Asiakasnumero: 1001) Tj ET");
    seed("bomb_guard", "small.pdf", pdf);
    seed("bomb_guard", "zeros.pdf", pdf_with_stream(std::string(1 << 20, '0')));

    const std::string inbox = fuzz::scratch_dir() + "/inbox";
    std::filesystem::create_directories(inbox);
    Fd in = fuzz::file_with(pdf.data(), pdf.size());
    EnvelopeMeta meta{"scan.pdf", 1, 1772366400, fuzz::station().name(), k_summary};
    SealedEnvelope sealed = seal_envelope(in.get(), inbox, fuzz::archive_public(), fuzz::station(), meta, 1 << 20);
    seed("envelope", "scan.kenv", read_file(sealed.path, 1 << 20));
    {  // An envelope of version 1 (BLAKE2b hashes, "KAAPPIE1"), which ingest still reads.
      Fd again = fuzz::file_with(pdf.data(), pdf.size());
      const Bytes uid = random_bytes(k_uid_size);
      SealedEnvelope v1 = seal_envelope_as(
          again.get(), inbox, fuzz::archive_public(), fuzz::station(), uid,
          [&](const BlobDigest& d) {
            return std::string(R"({"file_name":"scan.pdf","pages":1,"plain_size":)") + std::to_string(d.plain_size) +
                   R"(,"scanned_at":1772366400,"station":")" + fuzz::station().name() + R"(","content_hash":")" +
                   to_hex(d.content_hash) + R"(","pdf":{}})";
          },
          1 << 20, EnvelopeVersion::v1);
      seed("envelope", "scan-v1.kenv", read_file(v1.path, 1 << 20));
    }
    Fd envelope(::open(sealed.path.c_str(), O_RDONLY | O_CLOEXEC));
    EnvelopeParts parts = read_envelope_parts(envelope.get(), "scan.kenv");
    Bytes plain_meta(parts.sealed_meta.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plain_meta.data(), parts.sealed_meta.data(), parts.sealed_meta.size(),
                             fuzz::archive_public().box_pk.data(), fuzz::archive_box_secret().data()) != 0)
      std::abort();
    seed("station_metadata", "scan.json", plain_meta);
    // The same with "file_name" given again, spelled with an escape: refused.
    std::string twice(plain_meta.begin(), plain_meta.end() - 1);
    seed("station_metadata", "key-twice-escaped.json", twice + R"(,"file_n\u0061me":"other.pdf"})");

    seed("probe_reply", "summary.json", k_summary);
    seed("probe_reply", "minimal.json", R"({"pages":3})");

    // A printed form's code (its MAC is not checked here), and a box's crop:
    // 80x80 white, the printed outline 16 px in, a tick across it.
    form::FormCode code;
    code.template_version = 1;
    code.page = 1;
    for (size_t i = 0; i < code.instance.size(); ++i) code.instance[i] = static_cast<std::uint8_t>(i + 1);
    seed("form_code", "code.txt", form::encode_form_code(code));
    Bytes crop = {40, 40};
    for (int y = 0; y < 80; ++y)
      for (int x = 0; x < 80; ++x) {
        const bool ring = x >= 14 && x <= 66 && y >= 14 && y <= 66 && (x <= 18 || x >= 62 || y <= 18 || y >= 62);
        const bool tick = (x >= 24 && x <= 36 && y == x + 20) || (x >= 36 && x <= 58 && y == 92 - x);
        crop.push_back(ring || tick ? 30 : 235);
      }
    seed("box_reading", "tick-80x80.bin", crop);

    seed("csv", "semicolon-bom.csv", "\xEF\xBB\xBFnumber;name\r\n1;\"Oy \"\"A\"\"; B\"\r\n2;\"two\nlines\"\r\n\r\n3;x");
    seed("csv", "tabs.csv", "a\tb\tc\n1\t2\t3\n");
    seed("customer_csv", "customers.csv",
         "number,name,business-id,email,phone,address,source,feedback\r\n"
         "1001,Oy Esimerkki Ab,2468114-6,info@example.fi,+358 40 123 4567,\"Katu 1\n00100 Helsinki\",customer,"
         "\"2026-01-02 kiitos\n2026-02-03 '=ok\"\r\n"
         "1002,'=SUM(A1),,bad-email,,,ytj,\r\n");
    seed("consent_csv", "consents.csv",
         "\xEF\xBB\xBF" "customer;purpose;state;effective;source;document;note\r\n"
         "1001;email-marketing;granted;2026-01-02;signed-form;1;\"kirjattu; lomake\"\r\n"
         "1001;sms-marketing;withdrawn;;phone;;\"soitti\nja perui\"\r\n"
         "1002;no-direct-marketing;banned;2026-13-40;other;x;\r\n"
         "1003;unknown-purpose;maybe\r\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_make_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
