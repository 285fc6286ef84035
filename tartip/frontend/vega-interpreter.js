// Bundled at set-up by esbuild into static/vendor/vega/vega-interpreter.js: Vega evaluates
// expressions with this interpreter instead of Function(), so the CSP needs no 'unsafe-eval'.
import { expressionInterpreter } from "vega-interpreter";

window.vegaExpressionInterpreter = expressionInterpreter;
