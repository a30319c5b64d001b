// A model that applies a km.Model whose call branches on `training` (without fixing its mode)
// trains with that model's training branch: its training steps run its own ends made again, each
// model application in them in training mode.
import type { LayersModel } from './model.js';
import { applyLayer, callsMadeBy, forgetCalls, SymbolicTensor, type ModelApplication, type SymbolicCall } from './symbolic.js';

/** A model's symbolic inputs and outputs. */
export interface SymbolicEnds {
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
}

/**
 * `ends` made again for training steps where they apply, without fixing its mode, a model whose
 * training steps run other ends ({@link LayersModel.trainingSymbolicEnds}): each model application
 * is made again (in training mode where it fixed none), every other layer call as it was. Null
 * where they apply none. The layers forget the calls made, so their `output` keeps naming the
 * model's own graph. `where` names the model in errors.
 */
export function trainingEndsOf(ends: SymbolicEnds, where: string): SymbolicEnds | null {
  if (!callsOf(ends.outputs).some((call) => branchingApplication(call.via))) return null;
  const { value, calls } = callsMadeBy(() => remadeForTraining(ends, where));
  forgetCalls(calls);
  return value;
}

/** Whether `via` applies a model with training ends of its own without fixing its mode. */
function branchingApplication(via: ModelApplication | undefined): boolean {
  return via?.ends !== undefined && via.training === undefined && via.model.trainingSymbolicEnds() !== null;
}

/** Every layer call the tensors depend on. */
function callsOf(outputs: readonly SymbolicTensor[]): SymbolicCall[] {
  const seen = new Set<SymbolicCall>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.source.kind !== 'layer' || seen.has(t.source.call)) continue;
    seen.add(t.source.call);
    stack.push(...t.source.call.inbound);
  }
  return [...seen];
}

function remadeForTraining(ends: SymbolicEnds, where: string): SymbolicEnds {
  const standsFor = new Map<SymbolicTensor, SymbolicTensor>(ends.inputs.map((t) => [t, t]));
  const remade = new Set<ModelApplication | SymbolicCall>();
  const visit = (t: SymbolicTensor): SymbolicTensor => {
    const known = standsFor.get(t);
    if (known) return known;
    if (t.source.kind !== 'layer') throw new Error(`kerasm internal error: ${where} reads input '${t.name}', which is not one of its inputs.`);
    const { call } = t.source;
    const application = call.via?.ends ? call.via : undefined;
    if (application && !remade.has(application)) {
      remade.add(application);
      remakeApplication(application, visit).forEach((made, k) => standsFor.set(application.ends!.outputs[k], made));
    } else if (!application && !remade.has(call)) {
      remade.add(call);
      const made = applyLayer(call.layer, call.inbound.map(visit), { training: call.training, via: call.via, masks: call.masks, maskedInputs: call.maskedInputs });
      (Array.isArray(made) ? made : [made]).forEach((o, k) => standsFor.set(call.outputs[k], o));
    }
    const made = standsFor.get(t);
    if (!made) {
      throw new Error(
        `${where} reads '${t.name}' from inside model '${call.via!.model.name}', whose call branches on training, so its training steps cannot run it: ` +
          "read that model's outputs only, or apply it with { training: false } to keep its inference branch in fit too.",
      );
    }
    return made;
  };
  return { inputs: [...ends.inputs], outputs: ends.outputs.map(visit) };
}

/** `application` made again on what its inputs now stand for: in training mode where it fixed none and its model branches on it. */
function remakeApplication(application: ModelApplication, visit: (t: SymbolicTensor) => SymbolicTensor): SymbolicTensor[] {
  const { model, ends } = application;
  const training = application.training ?? (model.trainingSymbolicEnds() ? true : undefined);
  const mask = ends!.masks?.map((m) => (m ? visit(m) : null));
  const made: unknown = model.apply(ends!.inputs.map(visit), { ...(training !== undefined && { training }), ...(mask && { mask }) });
  return made instanceof SymbolicTensor ? [made] : Array.isArray(made) ? made : Object.values(made as Record<string, SymbolicTensor>);
}
