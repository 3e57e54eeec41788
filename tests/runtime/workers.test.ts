import { defineRuntimeSuite } from './define-runtime-suite.ts'

defineRuntimeSuite('workers')
