// Strict typescript-eslint over server, client and test TypeScript.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./test/tsconfig.json', './static/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^settings$', '^alerts$', '^translator$', '^physician-network/', '^api$', '^hooks$', '^bootbox$'] }],
      // NodeBB awaits hook methods and route controllers only when they are native async
      // functions (anything else is handed a callback), so an async function without await is intended.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // The rendering boundary (lib/shared/page-text.ts): pages and fragments render only
    // through lib/common/page.ts, whose models escape every string that is not markup.
    files: ['library.ts', 'lib/**/*.ts'],
    ignores: ['lib/common/page.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='render']", message: 'Render with renderPage (lib/common/page.ts): its model is escaped.' },
        { selector: "CallExpression[callee.property.name='renderAsync']", message: 'Render with renderFragment (lib/common/page.ts): its model is escaped.' },
      ],
    },
  },
  {
    // Client code builds HTML only from templates fed a page model, never from strings.
    files: ['static/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='parseAndTranslate'][arguments.1.callee.property.name!='pageModel']", message: 'Pass parseAndTranslate a pageText.pageModel(…): member text must be escaped.' },
        { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: 'Build elements with textContent, or a template fed a page model.' },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|html|write|writeln)$/]", message: 'Build elements with textContent, or a template fed a page model.' },
        { selector: "CallExpression[callee.property.name=/^(append|prepend|after|before|replaceWith)$/] > :matches(TemplateLiteral, BinaryExpression[operator='+'])", message: 'Append elements, not HTML strings.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's expect(...).to.be.true style reads as an unused expression.
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-console': 'off',
    },
  },
);
