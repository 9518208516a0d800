// Config enums ↔ their diffusers spellings: one table per enum, read both ways by the scheduler files.
#pragma once
#include <cstddef>
#include <string>

#include "common/errors.hpp"

namespace probwasm::diffusion::detail {

template <class E>
struct Names {
  E value;
  const char* name;
};

// The value spelled `s`, or a TypeError naming fn, param and the allowed spellings.
template <class E, std::size_t N>
E parse(const Names<E> (&table)[N], const std::string& s, const char* fn, const char* param) {
  std::string allowed;
  for (const auto& e : table) {
    if (s == e.name) return e.value;
    allowed += std::string(allowed.empty() ? "" : ", ") + "'" + e.name + "'";
  }
  throw type_error(std::string(fn) + ": " + param + " must be one of " + allowed + ", got " + format_value(s));
}

template <class E, std::size_t N>
const char* name_of(const Names<E> (&table)[N], E v) {
  for (const auto& e : table)
    if (e.value == v) return e.name;
  return "?";
}

}  // namespace probwasm::diffusion::detail
