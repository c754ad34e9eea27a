#include "cli/common.h"

#include <filesystem>
#include <iostream>

namespace portstorm::cli {

Result<std::unique_ptr<store::Store>> OpenStore(const Globals& g, bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::exists(g.store_dir, ec)) {
    return Status::NotFound("no store at '" + g.store_dir +
                            "' (ingest something first, or pass --store DIR / set PORTSTORM_STORE)");
  }
  store::StoreOptions o;
  o.read_only = read_only;
  o.create_if_missing = !read_only;
  return store::Store::Open(g.store_dir, o);
}

int Fail(const Status& s) {
  std::cerr << "portstorm: " << s.ToString() << "\n";
  return s.ExitCode();
}

}  // namespace portstorm::cli
