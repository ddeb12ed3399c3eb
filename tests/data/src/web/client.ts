const a = process.env.REQ_JS;
const b = process.env["REQ_JS_INDEX"];
const c = process.env.OPT_JS || "d";
const { REQ_DESTRUCT, OPT_DESTRUCT = "x" } = process.env;
