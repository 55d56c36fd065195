// Reference: opensora/models/stdit/stdit3.py@v1.2.0 (STDiT3.initialize_weights); spec/stdit3.md §7.
import MLXTensor
import NN

extension STDiT3 {
    /// The reference's `initialize_weights`, run after construction for training from scratch:
    /// every `nn.Linear` Xavier-uniform with zero bias (`_basic_init`), then `fps_embedder.mlp.0`
    /// N(0, 0.02²), `fps_embedder.mlp.2` zero, and each temporal block's `attn.proj`, `cross_attn.proj`
    /// and `mlp.fc2` weights zero (temporal blocks start as identity).
    ///
    /// Untouched, as in the reference: the patch embedder's Conv3d (PyTorch default), the
    /// `scale_shift_table`s and `y_embedding` (randn/√C from the constructors), RMSNorm ones; and unlike
    /// DiT/PixArt no zeroed `t_block`, final layer or patch-embedder Xavier.
    public func initializeWeights(key: RandomKey) {
        let linears = namedModules().compactMap { $0.1 as? Linear }
        let keys = key.split(into: linears.count + 1)
        for (linear, k) in zip(linears, keys) { linear.initializeXavierUniform(key: k) }

        if let first = fpsEmbedder.mlp.layers.first as? Linear { first.initializeNormal(std: 0.02, key: keys[linears.count]) }
        if let last = fpsEmbedder.mlp.layers.last as? Linear {
            last.zeroWeight()
            last.bias = last.bias.map { Tensor.zeros($0.shape) }
        }
        for block in temporalBlocks {
            block.attention.proj.zeroWeight()
            block.crossAttention.proj.zeroWeight()
            block.mlp.fc2.zeroWeight()
        }
    }
}
