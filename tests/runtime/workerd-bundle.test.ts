import { defineRuntimeSuite } from './define-runtime-suite.ts'

// The bundle `npm run deploy` uploads (scripts/worker-bundle.ts), served by `workerd serve`
// with the bindings and static assets a deploy gives it (tests/support/workerd-bundle.ts).
defineRuntimeSuite('workerd-bundle')
