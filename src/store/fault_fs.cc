#include "store/fault_fs.h"

#include <algorithm>
#include <cstring>

namespace portstorm::store {
namespace {

using Inode = FaultInjectionFileSystem::Inode;

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultInjectionFileSystem* fs, std::string path, std::shared_ptr<Inode> inode,
                    std::mutex* mu)
      : fs_(fs), path_(std::move(path)), inode_(std::move(inode)), mu_(mu) {}
  Status Append(std::string_view data) override {
    PS_RETURN_IF_ERROR(fs_->MaybeFail(FaultInjectionFileSystem::Op::kAppend, path_));
    std::lock_guard<std::mutex> l(*mu_);
    inode_->data.append(data);
    return Status::Ok();
  }
  Status Sync() override {
    PS_RETURN_IF_ERROR(fs_->MaybeFail(FaultInjectionFileSystem::Op::kSync, path_));
    std::lock_guard<std::mutex> l(*mu_);
    inode_->synced = inode_->data.size();
    return Status::Ok();
  }
  Status Close() override { return fs_->MaybeFail(FaultInjectionFileSystem::Op::kClose, path_); }

 private:
  FaultInjectionFileSystem* fs_;
  std::string path_;
  std::shared_ptr<Inode> inode_;
  std::mutex* mu_;
};

class FaultRandomAccessFile final : public RandomAccessFile {
 public:
  FaultRandomAccessFile(std::string path, std::string data)
      : path_(std::move(path)), data_(std::move(data)) {}
  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    if (offset > data_.size() || n > data_.size() - offset) {
      return Status::Corruption(path_ + ": read past end of file");
    }
    out->assign(data_, offset, n);
    return Status::Ok();
  }
  uint64_t Size() const override { return data_.size(); }

 private:
  std::string path_;
  std::string data_;  // a snapshot: reads never see later appends
};

class FaultLock final : public FileLock {
 public:
  FaultLock(FaultInjectionFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  ~FaultLock() override { fs_->Unlock(path_); }

 private:
  FaultInjectionFileSystem* fs_;
  std::string path_;
};

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

FaultInjectionFileSystem::FaultInjectionFileSystem() = default;
FaultInjectionFileSystem::~FaultInjectionFileSystem() = default;

void FaultInjectionFileSystem::FailAfter(int64_t n) {
  std::lock_guard<std::mutex> l(mu_);
  fail_after_ = n;
  failing_ = false;
}

void FaultInjectionFileSystem::SetFailHook(std::function<bool(Op, const std::string&)> hook) {
  std::lock_guard<std::mutex> l(mu_);
  hook_ = std::move(hook);
}

void FaultInjectionFileSystem::ClearFailures() {
  std::lock_guard<std::mutex> l(mu_);
  fail_after_ = -1;
  failing_ = false;
  hook_ = nullptr;
}

int64_t FaultInjectionFileSystem::mutating_ops() const {
  std::lock_guard<std::mutex> l(mu_);
  return ops_;
}

Status FaultInjectionFileSystem::MaybeFail(Op op, const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  ++ops_;
  if (fail_after_ == 0) {
    failing_ = true;
  } else if (fail_after_ > 0) {
    --fail_after_;
  }
  if (failing_ || (hook_ && hook_(op, path))) {
    return Status::IOError("injected fault on " + path);
  }
  return Status::Ok();
}

void FaultInjectionFileSystem::Unlock(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  locks_.erase(path);
}

Result<std::pair<FaultInjectionFileSystem::Dir*, std::string>> FaultInjectionFileSystem::Locate(
    const std::string& path) {
  auto it = dirs_.find(ParentDir(path));
  if (it == dirs_.end()) return Status::NotFound(ParentDir(path) + ": no such directory");
  return std::make_pair(&it->second, BaseName(path));
}

void FaultInjectionFileSystem::PruneVanishedDirs() {
  // Parents sort before their children, so one ordered pass sees a parent's
  // fate before its children's.
  for (auto it = dirs_.begin(); it != dirs_.end();) {
    bool keep = it->second.root;
    if (!keep) {
      auto parent = dirs_.find(ParentDir(it->first));
      if (parent != dirs_.end()) {
        auto e = parent->second.live.find(BaseName(it->first));
        keep = e != parent->second.live.end() && e->second.inode == nullptr;
      }
    }
    it = keep ? std::next(it) : dirs_.erase(it);
  }
}

void FaultInjectionFileSystem::SimulateCrash(CrashMode mode, uint32_t seed) {
  std::lock_guard<std::mutex> l(mu_);
  std::mt19937 rng(seed);
  std::set<Inode*> seen;
  for (auto& [path, dir] : dirs_) {
    if (mode == CrashMode::kRandom && rng() % 2 == 0) {
      dir.durable = dir.live;
    } else {
      dir.live = dir.durable;
    }
    for (auto& [name, e] : dir.live) {
      if (e.inode == nullptr || !seen.insert(e.inode.get()).second) continue;
      Inode& f = *e.inode;
      size_t keep = f.synced;
      if (mode == CrashMode::kRandom && f.data.size() > f.synced) {
        keep += rng() % (f.data.size() - f.synced + 1);
      }
      f.data.resize(keep);
      f.synced = keep;
    }
  }
  PruneVanishedDirs();
  locks_.clear();
  fail_after_ = -1;
  failing_ = false;
  hook_ = nullptr;
}

Status FaultInjectionFileSystem::Corrupt(const std::string& path, uint64_t offset,
                                         std::string_view bytes) {
  std::lock_guard<std::mutex> l(mu_);
  PS_ASSIGN_OR_RETURN(auto loc, Locate(path));
  auto it = loc.first->live.find(loc.second);
  if (it == loc.first->live.end() || it->second.inode == nullptr) {
    return Status::NotFound(path);
  }
  std::string& d = it->second.inode->data;
  if (offset > d.size() || bytes.size() > d.size() - offset) {
    return Status::InvalidArgument("corrupt past end of " + path);
  }
  std::memcpy(d.data() + offset, bytes.data(), bytes.size());
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::NewWritableFile(
    const std::string& path) {
  PS_RETURN_IF_ERROR(MaybeFail(Op::kCreate, path));
  std::lock_guard<std::mutex> l(mu_);
  PS_ASSIGN_OR_RETURN(auto loc, Locate(path));
  auto inode = std::make_shared<Inode>();
  loc.first->live[loc.second] = Entry{inode};
  return std::unique_ptr<WritableFile>(new FaultWritableFile(this, path, inode, &mu_));
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectionFileSystem::NewRandomAccessFile(
    const std::string& path) {
  std::string data;
  PS_RETURN_IF_ERROR(ReadFile(path, &data));
  return std::unique_ptr<RandomAccessFile>(new FaultRandomAccessFile(path, std::move(data)));
}

Status FaultInjectionFileSystem::ReadFile(const std::string& path, std::string* out) {
  std::lock_guard<std::mutex> l(mu_);
  PS_ASSIGN_OR_RETURN(auto loc, Locate(path));
  auto it = loc.first->live.find(loc.second);
  if (it == loc.first->live.end() || it->second.inode == nullptr) {
    return Status::NotFound(path + ": no such file");
  }
  *out = it->second.inode->data;
  return Status::Ok();
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  PS_RETURN_IF_ERROR(MaybeFail(Op::kRename, from));
  std::lock_guard<std::mutex> l(mu_);
  PS_ASSIGN_OR_RETURN(auto src, Locate(from));
  PS_ASSIGN_OR_RETURN(auto dst, Locate(to));
  auto it = src.first->live.find(src.second);
  if (it == src.first->live.end() || it->second.inode == nullptr) {
    return Status::NotFound("rename " + from + ": no such file");
  }
  Entry e = it->second;
  src.first->live.erase(it);
  dst.first->live[dst.second] = e;
  return Status::Ok();
}

Status FaultInjectionFileSystem::RemoveFile(const std::string& path) {
  PS_RETURN_IF_ERROR(MaybeFail(Op::kRemove, path));
  std::lock_guard<std::mutex> l(mu_);
  PS_ASSIGN_OR_RETURN(auto loc, Locate(path));
  auto it = loc.first->live.find(loc.second);
  if (it == loc.first->live.end() || it->second.inode == nullptr) {
    return Status::NotFound("remove " + path + ": no such file");
  }
  loc.first->live.erase(it);
  return Status::Ok();
}

Status FaultInjectionFileSystem::RemoveDir(const std::string& path) {
  PS_RETURN_IF_ERROR(MaybeFail(Op::kRemove, path));
  std::lock_guard<std::mutex> l(mu_);
  auto d = dirs_.find(path);
  if (d == dirs_.end()) return Status::NotFound("rmdir " + path);
  if (!d->second.live.empty()) return Status::IOError("rmdir " + path + ": not empty");
  PS_ASSIGN_OR_RETURN(auto loc, Locate(path));
  loc.first->live.erase(loc.second);
  PruneVanishedDirs();
  return Status::Ok();
}

Result<std::vector<std::string>> FaultInjectionFileSystem::ListDir(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  auto d = dirs_.find(path);
  if (d == dirs_.end()) return Status::NotFound(path + ": no such directory");
  std::vector<std::string> names;
  for (const auto& [name, e] : d->second.live) names.push_back(name);
  return names;
}

Status FaultInjectionFileSystem::CreateDir(const std::string& path) {
  PS_RETURN_IF_ERROR(MaybeFail(Op::kMkdir, path));
  std::lock_guard<std::mutex> l(mu_);
  if (dirs_.count(path)) return Status::Ok();
  auto parent = dirs_.find(ParentDir(path));
  Dir& d = dirs_[path];
  if (parent == dirs_.end()) {
    d.root = true;
  } else {
    parent->second.live[BaseName(path)] = Entry{nullptr};
  }
  return Status::Ok();
}

Status FaultInjectionFileSystem::SyncDir(const std::string& path) {
  PS_RETURN_IF_ERROR(MaybeFail(Op::kSyncDir, path));
  std::lock_guard<std::mutex> l(mu_);
  auto d = dirs_.find(path);
  if (d == dirs_.end()) return Status::NotFound("sync dir " + path);
  d->second.durable = d->second.live;
  return Status::Ok();
}

bool FaultInjectionFileSystem::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (dirs_.count(path)) return true;
  auto loc = Locate(path);
  return loc.ok() && loc->first->live.count(loc->second) > 0;
}

bool FaultInjectionFileSystem::IsDir(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  return dirs_.count(path) > 0;
}

Result<uint64_t> FaultInjectionFileSystem::FileSize(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  PS_ASSIGN_OR_RETURN(auto loc, Locate(path));
  auto it = loc.first->live.find(loc.second);
  if (it == loc.first->live.end() || it->second.inode == nullptr) {
    return Status::NotFound(path + ": no such file");
  }
  return static_cast<uint64_t>(it->second.inode->data.size());
}

Result<std::unique_ptr<FileLock>> FaultInjectionFileSystem::LockFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (!locks_.insert(path).second) {
    return Status::IOError(path + ": store is locked by another writer");
  }
  return std::unique_ptr<FileLock>(new FaultLock(this, path));
}

}  // namespace portstorm::store
