// A small Node.js client of the Lambda Runtime API, so `exports.handler = async (event) => ...`
// runs in the course's local cloud exactly as written for AWS.
//
// It loads the handler named by _HANDLER from LAMBDA_TASK_ROOT (CommonJS or ES module),
// then loops on /runtime/invocation/next and posts each result to .../response or
// .../error, as AWS's Node.js runtime does:
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
// Errors keep AWS's shape ({errorType, errorMessage, trace}); console output gets
// AWS's "<time>\t<request id>\t<LEVEL>\t<message>" prefix.
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const API = process.env.AWS_LAMBDA_RUNTIME_API;
const [API_HOST, API_PORT] = API.split(':');
const BASE = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let currentRequestId;

function call(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const request = http.request({
      host: API_HOST, port: API_PORT, method, path: BASE + urlPath, agent,
      headers: Object.assign(data ? { 'Content-Length': data.length } : {}, headers || {}),
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.setNoDelay(true);
    request.on('error', reject);
    if (data) request.write(data);
    request.end();
  });
}

// console.* as on Lambda: one line per call, prefixed with the time, request id and level.
function patchConsole() {
  const write = (level) => (...args) => {
    const message = util.format(...args).replace(/\n/g, '\r');
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${level}\t${message}\n`);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
}

function errorDocument(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack || '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

class Fault extends Error {
  constructor(errorType, message, stack) {
    super(message);
    this.errorType = errorType;
    this.trace = stack ? stack.split('\n') : [];
  }
}

function resolveModuleFile(root, moduleName) {
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const candidate = path.resolve(root, moduleName + extension);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

async function loadHandler() {
  const handlerName = process.env._HANDLER || '';
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const dot = handlerName.lastIndexOf('.');
  if (dot <= 0) throw new Fault('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  const moduleName = handlerName.slice(0, dot);
  const exportPath = handlerName.slice(dot + 1);
  const file = resolveModuleFile(root, moduleName);
  if (!file) {
    throw new Fault('Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${__filename}`);
  }
  let loaded;
  try {
    if (file.endsWith('.mjs')) {
      loaded = await import(pathToFileURL(file).href);
    } else {
      try {
        loaded = require(file);
      } catch (error) {
        if (error.code !== 'ERR_REQUIRE_ESM') throw error;
        loaded = await import(pathToFileURL(file).href);
      }
    }
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new Fault('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, error.stack);
    }
    if (error && error.code === 'MODULE_NOT_FOUND') {
      throw new Fault('Runtime.ImportModuleError', `Error: ${error.message}`, error.stack);
    }
    throw error;
  }
  const handler = exportPath.split('.').reduce((object, key) => (object == null ? undefined : object[key]), loaded);
  if (typeof handler !== 'function') {
    throw new Fault('Runtime.HandlerNotFound', `${handlerName} is undefined or not exported`);
  }
  return handler;
}

function makeContext(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  if (headers['lambda-runtime-client-context']) context.clientContext = JSON.parse(headers['lambda-runtime-client-context']);
  if (headers['lambda-runtime-cognito-identity']) context.identity = JSON.parse(headers['lambda-runtime-cognito-identity']);
  return context;
}

// async handlers return a promise; callback-style handlers (three parameters) call back.
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error); else resolve(result);
    };
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error === undefined ? new Error('handled') : error);
    context.done = callback;
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then((result) => callback(null, result), (error) => callback(error === undefined ? new Error('undefined') : error));
      } else if (handler.length < 3) {
        callback(null, returned);
      }
    } catch (error) {
      callback(error);
    }
  });
}

async function postError(urlPath, document) {
  await call('POST', urlPath, JSON.stringify(document), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': document.errorType,
  });
}

async function main() {
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const document = error instanceof Fault
      ? { errorType: error.errorType, errorMessage: error.message, trace: error.trace }
      : errorDocument(error);
    console.error(`${document.errorType}: ${document.errorMessage}`);
    await postError('/init/error', document);
    process.exit(1);
  }
  process.on('unhandledRejection', async (reason) => {
    const document = { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: String(reason), trace: [] };
    console.error(JSON.stringify(document));
    if (currentRequestId) await postError(`/invocation/${currentRequestId}/error`, document).catch(() => {});
    process.exit(128);
  });
  for (;;) {
    const next = await call('GET', '/invocation/next');
    currentRequestId = next.headers['lambda-runtime-aws-request-id'];
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    const context = makeContext(next.headers);
    let event;
    try {
      const text = next.body.toString('utf8');
      event = text ? JSON.parse(text) : {};
      const result = await runHandler(handler, event, context);
      const body = JSON.stringify(result === undefined ? null : result);
      await call('POST', `/invocation/${currentRequestId}/response`, body, { 'Content-Type': 'application/json' });
    } catch (error) {
      const document = errorDocument(error);
      console.error('Invoke Error \t' + JSON.stringify(document));
      await postError(`/invocation/${currentRequestId}/error`, document);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`node bootstrap failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
