#pragma once
// A fresh temporary directory for one test, removed with everything in it afterwards.
#include <stdlib.h>

#include <cstdlib>
#include <string>

namespace streamsim::testing {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "streamsim") {
    std::string tmpl = "/tmp/" + prefix + "_XXXXXX";
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~ScratchDir() {
    if (!path_.empty()) std::system(("rm -rf '" + path_ + "'").c_str());
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  // Empty if the directory could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace streamsim::testing
