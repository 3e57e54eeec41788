import { defineHostileSuite } from './define-hostile-suite.ts'

defineHostileSuite('bun')
