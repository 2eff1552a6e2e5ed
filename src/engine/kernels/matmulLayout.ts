/**
 * The three matrix-product layouts backprop needs (kernels/matmul.ts):
 *   NN: C[m,n] (+)= A[m,k] · B[k,n]      NT: C[m,n] (+)= A[m,k] · B[n,k]ᵀ      TN: C[m,n] (+)= A[k,m]ᵀ · B[k,n]
 */
export type MatmulLayout = 'NN' | 'NT' | 'TN';

export const MATMUL_LAYOUTS: readonly MatmulLayout[] = ['NN', 'NT', 'TN'];
