import { defineRuntimeSuite } from './define-runtime-suite.ts'

defineRuntimeSuite('deno')
