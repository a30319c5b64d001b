import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';

beforeAll(async () => {
  await km.ready();
});

/** What a model's saved file says: its topology and its weights' names, shapes and dtypes. */
async function savedJson(model: km.LayersModel): Promise<string> {
  const { modelTopology, weightSpecs } = await kerasmArtifacts(model);
  return JSON.stringify({ modelTopology, weightSpecs });
}

/** Two inputs declared in another order than the layers use them, one of them int32 ids. */
function twoInputs(): km.LayersModel {
  const ids = km.input({ shape: [3], name: 'ids', dtype: 'int32' });
  const extra = km.input({ shape: [5], name: 'extra' });
  const fromExtra = km.layers.dense({ units: 2, name: 'from_extra' }).apply(extra);
  const embedded = km.layers.flatten({ name: 'flat' }).apply(km.layers.embedding({ inputDim: 10, outputDim: 2, name: 'embed' }).apply(ids));
  const joined = km.layers.concatenate({ name: 'joined' }).apply([fromExtra, embedded]);
  return km.model({ inputs: [ids, extra], outputs: km.layers.dense({ units: 1, name: 'out' }).apply(joined), name: 'two_inputs' });
}

/** A functional model applied inside another, beside a layer of the outer model. */
function nested(): km.LayersModel {
  const innerInput = km.input({ shape: [4], name: 'inner_in' });
  const inner = km.model({ inputs: innerInput, outputs: km.layers.dense({ units: 3, name: 'inner_dense' }).apply(innerInput), name: 'inner' });
  const x = km.input({ shape: [4], name: 'outer_in' });
  const y = km.layers.add({ name: 'sum' }).apply([inner.apply(x) as km.SymbolicTensor, km.layers.dense({ units: 3, name: 'side' }).apply(x)]);
  return km.model({ inputs: x, outputs: km.layers.dense({ units: 2, name: 'top' }).apply(y), name: 'outer' });
}

/** tfjs' way to start a Sequential model. */
function sequentialWithInputLayer(): km.LayersModel {
  return km.sequential({ layers: [km.layers.inputLayer({ inputShape: [6], name: 'seq_in' }), km.layers.dense({ units: 2, name: 'seq_dense' })], name: 'seq' });
}

// Listing input layers in model.layers changes nothing that is saved: these are the files written
// before InputLayers were listed, but for the layer order, which is tfjs-layers 4.22's (by depth):
// tfjs saves the two-input model with these layers and weights in this order.
describe('saved files of models with input layers', () => {
  it('a functional model with two inputs', async () => {
    expect(await savedJson(twoInputs())).toMatchInlineSnapshot(`"{"modelTopology":{"class_name":"Model","config":{"name":"two_inputs","layers":[{"name":"ids","class_name":"InputLayer","config":{"batch_input_shape":[null,3],"dtype":"int32","sparse":false,"name":"ids"},"inbound_nodes":[]},{"name":"extra","class_name":"InputLayer","config":{"batch_input_shape":[null,5],"dtype":"float32","sparse":false,"name":"extra"},"inbound_nodes":[]},{"name":"embed","class_name":"Embedding","config":{"name":"embed","trainable":true,"input_dim":10,"output_dim":2,"embeddings_initializer":{"class_name":"RandomUniform","config":{"minval":-0.05,"maxval":0.05,"seed":null}},"embeddings_regularizer":null,"embeddings_constraint":null,"activity_regularizer":null,"mask_zero":false,"input_length":null},"inbound_nodes":[[["ids",0,0,{}]]]},{"name":"from_extra","class_name":"Dense","config":{"name":"from_extra","trainable":true,"units":2,"activation":"linear","use_bias":true,"kernel_initializer":{"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}},"bias_initializer":{"class_name":"Zeros","config":{}},"kernel_regularizer":null,"kernel_constraint":null,"bias_regularizer":null,"bias_constraint":null,"activity_regularizer":null},"inbound_nodes":[[["extra",0,0,{}]]]},{"name":"flat","class_name":"Flatten","config":{"name":"flat","trainable":true},"inbound_nodes":[[["embed",0,0,{}]]]},{"name":"joined","class_name":"Concatenate","config":{"name":"joined","trainable":true,"axis":-1},"inbound_nodes":[[["from_extra",0,0,{}],["flat",0,0,{}]]]},{"name":"out","class_name":"Dense","config":{"name":"out","trainable":true,"units":1,"activation":"linear","use_bias":true,"kernel_initializer":{"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}},"bias_initializer":{"class_name":"Zeros","config":{}},"kernel_regularizer":null,"kernel_constraint":null,"bias_regularizer":null,"bias_constraint":null,"activity_regularizer":null},"inbound_nodes":[[["joined",0,0,{}]]]}],"input_layers":[["ids",0,0],["extra",0,0]],"output_layers":[["out",0,0]]},"keras_version":"kerasm 0.0.0","backend":"kerasm"},"weightSpecs":[{"name":"embed/embeddings","shape":[10,2],"dtype":"float32"},{"name":"from_extra/kernel","shape":[5,2],"dtype":"float32"},{"name":"from_extra/bias","shape":[2],"dtype":"float32"},{"name":"out/kernel","shape":[8,1],"dtype":"float32"},{"name":"out/bias","shape":[1],"dtype":"float32"}]}"`);
  });

  it('a model nested in a functional model', async () => {
    expect(await savedJson(nested())).toMatchInlineSnapshot(`"{"modelTopology":{"class_name":"Model","config":{"name":"outer","layers":[{"name":"outer_in","class_name":"InputLayer","config":{"batch_input_shape":[null,4],"dtype":"float32","sparse":false,"name":"outer_in"},"inbound_nodes":[]},{"name":"inner","class_name":"Model","config":{"name":"inner","layers":[{"name":"inner_in","class_name":"InputLayer","config":{"batch_input_shape":[null,4],"dtype":"float32","sparse":false,"name":"inner_in"},"inbound_nodes":[]},{"name":"inner_dense","class_name":"Dense","config":{"name":"inner_dense","trainable":true,"units":3,"activation":"linear","use_bias":true,"kernel_initializer":{"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}},"bias_initializer":{"class_name":"Zeros","config":{}},"kernel_regularizer":null,"kernel_constraint":null,"bias_regularizer":null,"bias_constraint":null,"activity_regularizer":null},"inbound_nodes":[[["inner_in",0,0,{}]]]}],"input_layers":[["inner_in",0,0]],"output_layers":[["inner_dense",0,0]]},"inbound_nodes":[[["outer_in",0,0,{}]]]},{"name":"side","class_name":"Dense","config":{"name":"side","trainable":true,"units":3,"activation":"linear","use_bias":true,"kernel_initializer":{"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}},"bias_initializer":{"class_name":"Zeros","config":{}},"kernel_regularizer":null,"kernel_constraint":null,"bias_regularizer":null,"bias_constraint":null,"activity_regularizer":null},"inbound_nodes":[[["outer_in",0,0,{}]]]},{"name":"sum","class_name":"Add","config":{"name":"sum","trainable":true},"inbound_nodes":[[["inner",1,0,{}],["side",0,0,{}]]]},{"name":"top","class_name":"Dense","config":{"name":"top","trainable":true,"units":2,"activation":"linear","use_bias":true,"kernel_initializer":{"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}},"bias_initializer":{"class_name":"Zeros","config":{}},"kernel_regularizer":null,"kernel_constraint":null,"bias_regularizer":null,"bias_constraint":null,"activity_regularizer":null},"inbound_nodes":[[["sum",0,0,{}]]]}],"input_layers":[["outer_in",0,0]],"output_layers":[["top",0,0]]},"keras_version":"kerasm 0.0.0","backend":"kerasm"},"weightSpecs":[{"name":"inner_dense/kernel","shape":[4,3],"dtype":"float32"},{"name":"inner_dense/bias","shape":[3],"dtype":"float32"},{"name":"side/kernel","shape":[4,3],"dtype":"float32"},{"name":"side/bias","shape":[3],"dtype":"float32"},{"name":"top/kernel","shape":[3,2],"dtype":"float32"},{"name":"top/bias","shape":[2],"dtype":"float32"}]}"`);
  });

  it('a Sequential model started with km.layers.inputLayer', async () => {
    expect(await savedJson(sequentialWithInputLayer())).toMatchInlineSnapshot(`"{"modelTopology":{"class_name":"Sequential","config":{"name":"seq","layers":[{"class_name":"Dense","config":{"name":"seq_dense","trainable":true,"units":2,"activation":"linear","use_bias":true,"kernel_initializer":{"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}},"bias_initializer":{"class_name":"Zeros","config":{}},"kernel_regularizer":null,"kernel_constraint":null,"bias_regularizer":null,"bias_constraint":null,"activity_regularizer":null,"batch_input_shape":[null,6],"dtype":"float32"}}]},"keras_version":"kerasm 0.0.0","backend":"kerasm"},"weightSpecs":[{"name":"seq_dense/kernel","shape":[6,2],"dtype":"float32"},{"name":"seq_dense/bias","shape":[2],"dtype":"float32"}]}"`);
  });
});
