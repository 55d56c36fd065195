// safetensors load/save with string metadata (MLX's reader; Swift validates the header first).
#include "internal.hpp"
using namespace cmlx;

struct cmlx_tensor_file_impl {
    std::vector<std::pair<std::string, mx::array>> arrays;
    std::vector<std::pair<std::string, std::string>> metadata;
};

extern "C" {

int cmlx_safetensors_load(cmlx_tensor_file* out, const char* path) {
    return guard([&] {
        auto [arrays, metadata] = mx::load_safetensors(std::string(path));
        auto* f = new cmlx_tensor_file_impl{};
        for (auto& [name, a] : arrays) f->arrays.emplace_back(name, a);
        for (auto& [k, v] : metadata) f->metadata.emplace_back(k, v);
        *out = f;
    });
}

void cmlx_tensor_file_free(cmlx_tensor_file f) { delete f; }
size_t cmlx_tensor_file_count(cmlx_tensor_file f) { return f->arrays.size(); }  // cannot throw
const char* cmlx_tensor_file_name(cmlx_tensor_file f, size_t i) {
    return guard_or<const char*>("", [&] { return f->arrays.at(i).first.c_str(); });
}

int cmlx_tensor_file_array(cmlx_array* out, cmlx_tensor_file f, size_t i) {
    return guard([&] { *out = wrap(f->arrays.at(i).second); });
}

size_t cmlx_tensor_file_metadata_count(cmlx_tensor_file f) { return f->metadata.size(); }  // cannot throw
const char* cmlx_tensor_file_metadata_key(cmlx_tensor_file f, size_t i) {
    return guard_or<const char*>("", [&] { return f->metadata.at(i).first.c_str(); });
}
const char* cmlx_tensor_file_metadata_value(cmlx_tensor_file f, size_t i) {
    return guard_or<const char*>("", [&] { return f->metadata.at(i).second.c_str(); });
}

int cmlx_safetensors_save(const char* path, const char* const* names, const cmlx_array* arrays, size_t count,
                          const char* const* meta_keys, const char* const* meta_values, size_t meta_count) {
    return guard([&] {
        std::unordered_map<std::string, mx::array> map;
        for (size_t i = 0; i < count; i++) map.insert_or_assign(std::string(names[i]), unwrap(arrays[i]));
        std::unordered_map<std::string, std::string> meta;
        for (size_t i = 0; i < meta_count; i++) meta[meta_keys[i]] = meta_values[i];
        mx::save_safetensors(std::string(path), map, meta);
    });
}

}  // extern "C"
