// Convolutions in MLX's channels-last layout; PyTorch layouts are converted once, in Swift, at load.
#include "internal.hpp"
using namespace cmlx;

extern "C" {

int cmlx_conv_general(cmlx_array* out, cmlx_array input, cmlx_array weight, const int* stride,
                      const int* padding_lo, const int* padding_hi, const int* kernel_dilation,
                      const int* input_dilation, int nspatial, int groups, int flip) {
    return guard([&] {
        *out = wrap(mx::conv_general(unwrap(input), unwrap(weight), ints(stride, nspatial),
                                     ints(padding_lo, nspatial), ints(padding_hi, nspatial),
                                     ints(kernel_dilation, nspatial), ints(input_dilation, nspatial), groups,
                                     flip != 0));
    });
}

int cmlx_conv_transpose(cmlx_array* out, cmlx_array input, cmlx_array weight, const int* stride,
                        const int* padding, const int* dilation, const int* output_padding, int nspatial,
                        int groups) {
    return guard([&] {
        const auto& x = unwrap(input);
        const auto& w = unwrap(weight);
        switch (nspatial) {
            case 1:
                *out = wrap(mx::conv_transpose1d(x, w, stride[0], padding[0], dilation[0], output_padding[0], groups));
                return;
            case 2:
                *out = wrap(mx::conv_transpose2d(x, w, {stride[0], stride[1]}, {padding[0], padding[1]},
                                                 {dilation[0], dilation[1]},
                                                 {output_padding[0], output_padding[1]}, groups));
                return;
            case 3:
                *out = wrap(mx::conv_transpose3d(x, w, {stride[0], stride[1], stride[2]},
                                                 {padding[0], padding[1], padding[2]},
                                                 {dilation[0], dilation[1], dilation[2]},
                                                 {output_padding[0], output_padding[1], output_padding[2]}, groups));
                return;
        }
        throw std::invalid_argument("[conv_transpose] supports 1 to 3 spatial axes, got " + std::to_string(nspatial));
    });
}

}  // extern "C"
