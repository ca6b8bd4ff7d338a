/** Intent definitions and the offline intent classifier. */
export { IntentDefSchema, OUT_OF_SCOPE, loadIntents, type IntentAction, type IntentDef, type LoadIntentsOptions } from "./load.ts";
export {
  IntentClassifier,
  type CalibrationReport,
  type IntentClassifierOptions,
  type IntentPrediction,
  type RankedIntent,
  type TrainableIntent,
} from "./classifier.ts";
export { normalizeText } from "./features.ts";
