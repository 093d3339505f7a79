/** Layer rules from STYLE.md ("dependencies point inward"); `npm run lint` fails on any of them. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to load, test or move on their own.',
      from: {},
      to: { circular: true }
    },
    {
      name: 'engine-is-pure',
      severity: 'error',
      comment: 'The engine imports only itself and its parsing/FEEL/hash packages: no DOM, no Node, no app.',
      from: { path: '^src/lib/engine/', pathNot: '\\.test\\.ts$' },
      to: {
        pathNot: [
          '^src/lib/engine/',
          '^node_modules/(bpmn-moddle|zeebe-bpmn-moddle|feelin|@noble/hashes)/'
        ]
      }
    },
    {
      name: 'engine-no-node-builtins',
      severity: 'error',
      comment: 'The engine runs in a Web Worker too (its tests run in Node and may read fixtures).',
      from: { path: '^src/lib/engine/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'relay-layers',
      severity: 'error',
      comment: 'The relay knows the engine, runtime, protocol and the Node store; never Svelte or the UI.',
      from: { path: '^sync-server/' },
      to: {
        path: '^src/',
        pathNot: ['^src/lib/(engine|runtime|protocol|store)/']
      }
    },
    {
      name: 'relay-no-svelte',
      severity: 'error',
      from: { path: '^sync-server/' },
      to: { path: '^node_modules/(svelte|@sveltejs)/' }
    },
    {
      name: 'lib-not-into-routes',
      severity: 'error',
      comment: 'Routes are thin pages on top of src/lib, never the other way round.',
      from: { path: '^src/lib/' },
      to: { path: '^src/routes/' }
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: ['^\\$(app|env|lib)/', '^\\$service-worker$', '\\?(url|raw|worker|sharedworker|inline)$'] }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|\\.svelte-kit|tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.svelte', '.json']
    },
    // Svelte components import TS; cruise their script blocks as TypeScript.
    extraExtensionsToScan: ['.svelte']
  }
};
