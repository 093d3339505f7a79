/**
 * JavaScript evaluated inside QuickJS before each script. It is a function of
 * `(variablesJson, emitLog)` that installs the frozen `variables` global and a capturing
 * `console`, and returns `toJson(value)`: the JSON text of a script result, or a thrown
 * `InvalidResult` error naming the first value JSON cannot carry faithfully.
 *
 * It captures the built-ins it needs before the script runs, so a script that replaces
 * `JSON` or `Object` cannot change how its own result is checked. The host parses the
 * returned text itself, so even a subverted check can only hand back JSON.
 */
export const sandboxPrelude = String.raw`(function (input, emit) {
  'use strict';
  var freeze = Object.freeze, keys = Object.keys, getProto = Object.getPrototypeOf;
  var isArray = Array.isArray, objectProto = Object.prototype;
  var stringify = JSON.stringify, parse = JSON.parse, toStr = String;

  function deepFreeze(v) {
    if (v !== null && typeof v === 'object') {
      freeze(v);
      var k = keys(v);
      for (var i = 0; i < k.length; i++) deepFreeze(v[k[i]]);
    }
    return v;
  }

  function show(v) {
    if (typeof v === 'string') return v;
    try {
      var s = stringify(v);
      return s === undefined ? toStr(v) : s;
    } catch (e) {
      return toStr(v);
    }
  }

  function log() {
    var parts = [];
    for (var i = 0; i < arguments.length; i++) parts.push(show(arguments[i]));
    emit(parts.join(' '));
  }

  function fail(path, what) {
    var e = new Error('script result is not JSON: ' + what + ' at ' + path);
    e.name = 'InvalidResult';
    throw e;
  }

  function describe(v) {
    var proto = getProto(v);
    var ctor = proto && proto.constructor;
    return 'a ' + (ctor && typeof ctor.name === 'string' && ctor.name ? ctor.name : 'exotic object');
  }

  function check(v, path, stack) {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (v !== v || v === Infinity || v === -Infinity) fail(path, 'a non-finite number');
      return;
    }
    if (typeof v !== 'object') fail(path, typeof v === 'undefined' ? 'undefined' : 'a ' + typeof v);
    if (stack.indexOf(v) >= 0) fail(path, 'a cycle');
    stack.push(v);
    if (isArray(v)) {
      for (var i = 0; i < v.length; i++) check(v[i], path + '[' + i + ']', stack);
    } else {
      var proto = getProto(v);
      if (proto !== objectProto && proto !== null) fail(path, describe(v));
      var k = keys(v);
      for (var j = 0; j < k.length; j++) {
        var item = v[k[j]];
        // JSON drops undefined properties; that loses nothing the caller could read.
        if (item !== undefined) check(item, path + '.' + k[j], stack);
      }
    }
    stack.pop();
  }

  var consoleObject = freeze({ log: log, info: log, warn: log, error: log, debug: log });
  Object.defineProperty(globalThis, 'console', { value: consoleObject });
  Object.defineProperty(globalThis, 'variables', { value: deepFreeze(parse(input)), enumerable: true });

  return function toJson(value) {
    if (value === undefined) return 'null';
    check(value, '$', []);
    return stringify(value);
  };
})`;
