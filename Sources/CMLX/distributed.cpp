// MLX's distributed runtime: process groups and collectives (ring, MPI, NCCL backends).
#include "internal.hpp"
using namespace cmlx;
namespace dist = mx::distributed;

struct cmlx_group_impl {
    dist::Group group;
};

extern "C" {

int cmlx_distributed_available(const char* backend) {
    try {
        return dist::is_available(std::string(backend)) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

int cmlx_group_init(cmlx_group* out, int strict, const char* backend) {
    return guard([&] { *out = new cmlx_group_impl{dist::init(strict != 0, std::string(backend))}; });
}

void cmlx_group_free(cmlx_group g) { delete g; }
int cmlx_group_rank(cmlx_group g) {
    return guard_or(0, [&] { return g->group.rank(); });
}
int cmlx_group_size(cmlx_group g) {
    return guard_or(1, [&] { return g->group.size(); });
}

int cmlx_group_split(cmlx_group* out, cmlx_group g, int color, int key) {
    return guard([&] { *out = new cmlx_group_impl{g->group.split(color, key)}; });
}

int cmlx_all_sum(cmlx_array* out, cmlx_array x, cmlx_group g) {
    return guard([&] { *out = wrap(dist::all_sum(unwrap(x), g->group)); });
}

int cmlx_all_max(cmlx_array* out, cmlx_array x, cmlx_group g) {
    return guard([&] { *out = wrap(dist::all_max(unwrap(x), g->group)); });
}

int cmlx_all_gather(cmlx_array* out, cmlx_array x, cmlx_group g) {
    return guard([&] { *out = wrap(dist::all_gather(unwrap(x), g->group)); });
}

int cmlx_send(cmlx_array* out, cmlx_array x, int dst, cmlx_group g) {
    return guard([&] { *out = wrap(dist::send(unwrap(x), dst, g->group)); });
}

int cmlx_recv(cmlx_array* out, const int* shape, int ndim, cmlx_dtype dtype, int src, cmlx_group g) {
    return guard([&] { *out = wrap(dist::recv(shape_of(shape, ndim), to_mlx(dtype), src, g->group)); });
}

}  // extern "C"
