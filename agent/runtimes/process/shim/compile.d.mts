// Types of compile.mjs for TypeScript callers (tests).
export declare const shimSource: string;
export declare function compileShim(out: string): void;
