/** Reverse-mode automatic differentiation (chapter 6): the book's NumberWithGrad and a tensor Var. */
export * from './var';
export * from './broadcast';
export * from './elementwise';
export * from './unary';
export * from './matmul';
export * from './reduce';
export * from './columns';
export * from './logSoftmax';
export * from './numberWithGrad';
export * from './graphDescription';
export * from './describeGraph';
export * from './traceBackward';
export * from './experimentE6_6';
export * from './parseExpression';
export * from './expressionGraph';
