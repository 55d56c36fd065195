// Reference: transformers models/t5/modeling_t5.py (T5PreTrainedModel._init_weights); spec/t5.md.
import MLXTensor
import NN

extension T5EncoderModel {
    /// HF's `_init_weights` with `initializer_factor` 1.0 (Mesh-TensorFlow scaling, so attention needs
    /// no 1/√d): `shared` N(0, 1); q N(0, 1/(d_model·d_kv)); k, v N(0, 1/d_model);
    /// o N(0, 1/(heads·d_kv)); relative_attention_bias N(0, 1/d_model); wi/wi_0/wi_1 N(0, 1/d_model);
    /// wo N(0, 1/d_ff); layer norms ones. T5 has no biases.
    public func initializeWeights(key: RandomKey) {
        let c = config
        func inverseRoot(_ n: Int) -> Float { 1 / Float(n).squareRoot() }
        var keys = KeySequence(key)
        shared.weight = WeightInit.normal(shared.weight.shape, std: 1, key: keys.next())
        for block in encoder.block {
            for layer in block.layers {
                if let sub = layer as? T5SelfAttentionLayer {
                    let a = sub.attention
                    a.q.initializeNormal(std: inverseRoot(c.modelDimensions * c.keyValueDimensions), key: keys.next())
                    a.k.initializeNormal(std: inverseRoot(c.modelDimensions), key: keys.next())
                    a.v.initializeNormal(std: inverseRoot(c.modelDimensions), key: keys.next())
                    a.o.initializeNormal(std: inverseRoot(c.headCount * c.keyValueDimensions), key: keys.next())
                    if let table = a.relativeAttentionBias {
                        table.weight = WeightInit.normal(table.weight.shape, std: inverseRoot(c.modelDimensions), key: keys.next())
                    }
                    sub.norm.weight = Tensor.ones(sub.norm.weight.shape)
                } else if let sub = layer as? T5FeedForwardLayer {
                    let f = sub.feedForward
                    for input in [f.gateProjection, f.upProjection, f.inputProjection].compactMap({ $0 }) {
                        input.initializeNormal(std: inverseRoot(c.modelDimensions), key: keys.next())
                    }
                    f.wo.initializeNormal(std: inverseRoot(c.feedForwardDimensions), key: keys.next())
                    sub.norm.weight = Tensor.ones(sub.norm.weight.shape)
                }
            }
        }
        encoder.finalNorm.weight = Tensor.ones(encoder.finalNorm.weight.shape)
    }
}
