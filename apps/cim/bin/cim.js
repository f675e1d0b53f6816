#!/usr/bin/env node
// Runs the built CLI (`npm run build -w @cim/cli` first). From a checkout without a build, use
// `npm run cim -- <args>` at the repo root, which runs the TypeScript source.
import '../dist/main.js';
