// Column encodings of segment files (docs/formats/store.md, "column
// encodings"). Two column shapes exist:
//
//   integer column   u8 transform | u8 kind | varint scale | kind body
//     transform 0 none, 1 delta to the previous row, 2 delta to the previous
//               row with the same key (the row's source-address index), both
//               zigzag-coded, wrapping modulo 2^64;
//     scale     every transformed value is a multiple of it (times in whole
//               seconds store 1 instead of 1000000);
//     kind 0 const   varint value
//     kind 1 dict    varint n | n varints (ascending, delta-coded) |
//                    u8 bit width w | ceil(rows*w/8) bytes of indexes packed LSB first
//     kind 2 plain   u8 byte width (1,2,4,8) | rows * width bytes, little-endian
//     kind 3 varint  rows varints
//   address column   varint n4 | n4 IPv4 values (ascending, delta varints) |
//                    varint n6 | n6 * 16 bytes (ascending) | integer column of
//                    per-row indexes into that dictionary (IPv4 first)
//
// The encoder picks transform and kind per block from the data (estimated
// entropy, then size). Decoders treat their input as untrusted: any
// inconsistency is a Corruption status, never a crash.
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_addr.h"
#include "core/status.h"

namespace portstorm::store::detail {

struct IntColumnOptions {
  bool try_delta = false;  // consider transform 1
  bool try_keyed = false;  // consider transform 2 (needs keys)
  // Width of the field the column holds (1..64). Decoders keep only the low
  // `bits` of each value, so deltas are taken modulo 2^bits and stored as
  // signed `bits`-bit numbers: a random 16-bit IP ID then costs 16 bits, not
  // the 17 of a 64-bit difference. The decoding rule does not change.
  int bits = 64;
};

// `keys` (one per row, each < key_space) may be empty when !try_keyed.
void EncodeIntColumn(std::span<const uint64_t> values, std::span<const uint32_t> keys,
                     uint32_t key_space, IntColumnOptions options, std::string* out);
// Decodes exactly `rows` values from the front of *in (advancing it).
Status DecodeIntColumn(std::string_view* in, size_t rows, std::span<const uint32_t> keys,
                       uint32_t key_space, std::vector<uint64_t>* out);

// Keys for a keyed transform from a column's values: each distinct value gets
// the next index in order of first appearance. Returns the key space. Both the
// writer and the reader derive the line column's keys (the row's sensor) this way.
uint32_t DenseKeys(std::span<const uint64_t> values, std::vector<uint32_t>* keys);

// Encodes addresses; returns each row's dictionary index in *indexes and the
// dictionary size in *dict_size (the key space for keyed columns).
void EncodeAddrColumn(std::span<const IpAddr> values, std::span<const uint32_t> keys,
                      uint32_t key_space, std::string* out, std::vector<uint32_t>* indexes,
                      uint32_t* dict_size);
Status DecodeAddrColumn(std::string_view* in, size_t rows, std::span<const uint32_t> keys,
                        uint32_t key_space, std::vector<IpAddr>* out,
                        std::vector<uint32_t>* indexes, uint32_t* dict_size);

}  // namespace portstorm::store::detail
