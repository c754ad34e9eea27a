// Expr construction and printing, and the compiled evaluator.
#include "query/filter.h"

#include <algorithm>

#include "store/reader.h"

namespace portstorm::query {

// ---------------------------------------------------------------- Expr

Expr Expr::Proto(uint8_t p) {
  Expr e;
  e.kind = Kind::kProto;
  e.proto = p;
  return e;
}

Expr Expr::Net(Side side, const IpNet& net) {
  Expr e;
  e.kind = Kind::kNet;
  e.side = side;
  // Canonical address: host bits cleared (IpNet::Parse does it; callers may not).
  IpNet n = net;
  n.bits = std::clamp(n.bits, 0, 128);
  auto b = n.addr.bytes();
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(n.bits - i * 8, 0, 8);
    b[i] = keep == 0 ? 0 : static_cast<uint8_t>(b[i] & (0xff << (8 - keep)));
  }
  n.addr = IpAddr::V6(b.data());
  e.net = n;
  return e;
}

Expr Expr::Ports(Side side, std::vector<PortRange> ranges) {
  Expr e;
  e.kind = Kind::kPort;
  e.side = side;
  NormalizePortRanges(&ranges);
  e.ports = std::move(ranges);
  return e;
}

Expr Expr::Flags(uint8_t flags) {
  Expr e;
  e.kind = Kind::kFlags;
  e.flags = flags;
  return e;
}

Expr Expr::Sensor(std::string name) {
  Expr e;
  e.kind = Kind::kSensor;
  e.sensor = std::move(name);
  return e;
}

Expr Expr::Not(Expr child) {
  Expr e;
  e.kind = Kind::kNot;
  e.children.push_back(std::move(child));
  return e;
}

namespace {

Expr NAry(Expr::Kind kind, std::vector<Expr> es) {
  Expr out;
  out.kind = kind;
  for (Expr& c : es) {
    if (c.kind == Expr::Kind::kTrue) {
      if (kind == Expr::Kind::kOr) return Expr::True();  // x or any == any
      continue;                                          // x and any == x
    }
    if (c.kind == kind) {
      for (Expr& g : c.children) out.children.push_back(std::move(g));
    } else {
      out.children.push_back(std::move(c));
    }
  }
  if (out.children.empty()) return Expr::True();
  if (out.children.size() == 1) return std::move(out.children[0]);
  return out;
}

bool IsPlainWord(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    switch (c) {
      case ' ': case '\t': case '\n': case '\r': case '\f': case '\v': case '(': case ')':
      case '[': case ']': case ',': case '!': case '&': case '|': case '<': case '>': case '=':
      case '"': case '\\':
        return false;
      default:
        if (static_cast<unsigned char>(c) < 0x20) return false;
    }
  }
  return true;
}

void AppendRange(std::string* out, const PortRange& r) {
  *out += std::to_string(r.lo);
  if (r.hi != r.lo) {
    *out += '-';
    *out += std::to_string(r.hi);
  }
}

const char* SidePrefix(Side s) {
  switch (s) {
    case Side::kSrc: return "src ";
    case Side::kDst: return "dst ";
    case Side::kEither: break;
  }
  return "";
}

std::string NetText(const IpNet& n) {
  if (n.bits == 128) return n.addr.ToString();
  if (n.addr.is_v4() && n.bits >= 96) return n.addr.ToString() + "/" + std::to_string(n.bits - 96);
  return n.addr.ToString() + "/" + std::to_string(n.bits);
}

void Print(const Expr& e, std::string* out) {
  using K = Expr::Kind;
  auto child = [&](const Expr& c, bool parens) {
    if (parens) *out += '(';
    Print(c, out);
    if (parens) *out += ')';
  };
  switch (e.kind) {
    case K::kTrue:
      *out += "any";
      return;
    case K::kAnd:
    case K::kOr:
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) *out += e.kind == K::kAnd ? " and " : " or ";
        // Children are never of the parent's kind (flattened); only an `or`
        // under an `and` needs parentheses.
        child(e.children[i], e.kind == K::kAnd && e.children[i].kind == K::kOr);
      }
      return;
    case K::kNot:
      *out += "not ";
      if (!e.children.empty()) {
        const Expr& c = e.children[0];
        child(c, c.kind == K::kAnd || c.kind == K::kOr);
      } else {
        *out += "any";
      }
      return;
    case K::kProto:
      *out += "proto " + ProtoName(e.proto);
      return;
    case K::kNet:
      *out += SidePrefix(e.side);
      *out += e.net.bits == 128 ? "ip " : "net ";
      *out += NetText(e.net);
      return;
    case K::kPort:
      *out += SidePrefix(e.side);
      *out += "port ";
      if (e.ports.size() == 1) {
        AppendRange(out, e.ports[0]);
      } else {
        *out += "in [";
        for (size_t i = 0; i < e.ports.size(); ++i) {
          if (i > 0) *out += ' ';
          AppendRange(out, e.ports[i]);
        }
        *out += ']';
      }
      return;
    case K::kFlags:
      *out += "flags " + FlagsString(e.flags);
      return;
    case K::kSensor:
      *out += "sensor ";
      if (IsPlainWord(e.sensor)) {
        *out += e.sensor;
      } else {
        *out += '"';
        for (char c : e.sensor) {
          if (c == '"' || c == '\\') *out += '\\';
          *out += c;
        }
        *out += '"';
      }
      return;
  }
}

}  // namespace

Expr Expr::And(std::vector<Expr> es) { return NAry(Kind::kAnd, std::move(es)); }
Expr Expr::Or(std::vector<Expr> es) { return NAry(Kind::kOr, std::move(es)); }

std::string Expr::ToString() const {
  std::string s;
  Print(*this, &s);
  return s;
}

bool operator==(const Expr& a, const Expr& b) {
  return a.kind == b.kind && a.side == b.side && a.proto == b.proto && a.flags == b.flags &&
         a.net.addr == b.net.addr && a.net.bits == b.net.bits && a.ports == b.ports &&
         a.sensor == b.sensor && a.children == b.children;
}

void NormalizePortRanges(std::vector<PortRange>* ranges) {
  auto& r = *ranges;
  for (auto& x : r) {
    if (x.hi < x.lo) std::swap(x.lo, x.hi);
  }
  std::sort(r.begin(), r.end(), [](const PortRange& a, const PortRange& b) {
    return a.lo != b.lo ? a.lo < b.lo : a.hi < b.hi;
  });
  std::vector<PortRange> out;
  for (const auto& x : r) {
    if (!out.empty() && uint32_t{x.lo} <= uint32_t{out.back().hi} + 1) {
      out.back().hi = std::max(out.back().hi, x.hi);
    } else {
      out.push_back(x);
    }
  }
  r.swap(out);
}

uint32_t FilterColumns(const Expr& e) {
  namespace col = store::col;
  switch (e.kind) {
    case Expr::Kind::kTrue: return 0;
    case Expr::Kind::kProto: return col::kProto;
    case Expr::Kind::kNet:
      return e.side == Side::kSrc ? col::kSrc
                                  : (e.side == Side::kDst ? col::kDst : col::kSrc | col::kDst);
    case Expr::Kind::kPort: return col::kPorts;
    case Expr::Kind::kFlags: return col::kFlags;
    case Expr::Kind::kSensor: return col::kSensor;
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr:
    case Expr::Kind::kNot: {
      uint32_t m = 0;
      for (const Expr& c : e.children) m |= FilterColumns(c);
      return m;
    }
  }
  return 0;
}

// ---------------------------------------------------------------- Filter

Filter::Filter() { code_.push_back(Instr{Op::kTrue, 0, 1, 0, 0}); }

Result<Filter> Filter::Compile(std::string_view text, const store::Reader* reader) {
  PS_ASSIGN_OR_RETURN(Expr e, ParseFilter(text));
  return Compile(e, reader);
}

Result<Filter> Filter::Compile(const Expr& expr, const store::Reader* reader) {
  Filter f;
  f.code_.clear();
  f.expr_ = expr;
  f.Emit(f.expr_, reader);
  if (f.code_.size() > UINT32_MAX / 2) return Status::InvalidArgument("filter too large");
  f.columns_ = FilterColumns(f.expr_);
  return f;
}

void Filter::Emit(const Expr& e, const store::Reader* reader) {
  using K = Expr::Kind;
  size_t self = code_.size();
  code_.push_back(Instr{});
  Instr in;
  switch (e.kind) {
    case K::kTrue: in.op = Op::kTrue; break;
    case K::kAnd:
    case K::kOr:
    case K::kNot:
      in.op = e.kind == K::kAnd ? Op::kAnd : (e.kind == K::kOr ? Op::kOr : Op::kNot);
      // A kNot built by hand without a child negates `any`.
      if (e.children.empty()) {
        in.op = e.kind == K::kOr ? Op::kFalse : (e.kind == K::kAnd ? Op::kTrue : Op::kFalse);
      }
      for (const Expr& c : e.children) Emit(c, reader);
      if (e.kind == K::kNot && e.children.size() > 1) {
        // Only the first child counts; drop the rest so Eval stays simple.
        code_.resize(code_[self + 1].end);
      }
      break;
    case K::kProto:
      in.op = Op::kProto;
      in.u8 = e.proto;
      break;
    case K::kFlags:
      in.op = Op::kFlags;
      in.u8 = e.flags;
      break;
    case K::kSensor: {
      std::optional<uint32_t> id;
      if (reader != nullptr) id = reader->FindSensor(e.sensor);
      if (id) {
        in.op = Op::kSensor;
        in.arg = *id;
      } else {
        in.op = Op::kFalse;
        if (std::find(unknown_sensors_.begin(), unknown_sensors_.end(), e.sensor) ==
            unknown_sensors_.end()) {
          unknown_sensors_.push_back(e.sensor);
        }
      }
      break;
    }
    case K::kNet: {
      in.op = e.side == Side::kSrc ? Op::kNetSrc
                                   : (e.side == Side::kDst ? Op::kNetDst : Op::kNetEither);
      Mask128 m;
      int bits = std::clamp(e.net.bits, 0, 128);
      m.mask_hi = bits >= 64 ? ~uint64_t{0} : (bits == 0 ? 0 : ~uint64_t{0} << (64 - bits));
      m.mask_lo = bits <= 64 ? 0 : (bits == 128 ? ~uint64_t{0} : ~uint64_t{0} << (128 - bits));
      m.hi = e.net.addr.hi() & m.mask_hi;
      m.lo = e.net.addr.lo() & m.mask_lo;
      in.arg = static_cast<uint32_t>(nets_.size());
      nets_.push_back(m);
      break;
    }
    case K::kPort: {
      in.op = e.side == Side::kSrc ? Op::kPortSrc
                                   : (e.side == Side::kDst ? Op::kPortDst : Op::kPortEither);
      std::vector<PortRange> r = e.ports;
      NormalizePortRanges(&r);  // hand-built ASTs may not be normalised
      in.arg = static_cast<uint32_t>(ranges_.size());
      in.count = static_cast<uint32_t>(r.size());
      ranges_.insert(ranges_.end(), r.begin(), r.end());
      break;
    }
  }
  in.end = static_cast<uint32_t>(code_.size());
  code_[self] = in;
}

bool Filter::Eval(uint32_t i, const Event& e) const {
  const Instr& in = code_[i];
  switch (in.op) {
    case Op::kTrue: return true;
    case Op::kFalse: return false;
    case Op::kAnd:
      for (uint32_t c = i + 1; c < in.end; c = code_[c].end) {
        if (!Eval(c, e)) return false;
      }
      return true;
    case Op::kOr:
      for (uint32_t c = i + 1; c < in.end; c = code_[c].end) {
        if (Eval(c, e)) return true;
      }
      return false;
    case Op::kNot: return !Eval(i + 1, e);
    case Op::kProto: return e.proto == in.u8;
    case Op::kFlags: return (e.tcp_flags & in.u8) == in.u8;
    case Op::kSensor: return e.sensor == in.arg;
    case Op::kNetSrc: return nets_[in.arg].Contains(e.src);
    case Op::kNetDst: return nets_[in.arg].Contains(e.dst);
    case Op::kNetEither: return nets_[in.arg].Contains(e.src) || nets_[in.arg].Contains(e.dst);
    case Op::kPortSrc: return InRanges(in, e.sport);
    case Op::kPortDst: return InRanges(in, e.dport);
    case Op::kPortEither: return InRanges(in, e.sport) || InRanges(in, e.dport);
  }
  return false;
}

}  // namespace portstorm::query
