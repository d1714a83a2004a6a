package clipcl.continual.linalg;

/**
 * The geodesic flow kernel (Gong, Shi, Sha and Grauman 2012) between two d-dimensional subspaces of
 * R^D: {@code G = int_0^1 Phi(t) Phi(t)^T dt}, where Phi(t) is an orthonormal basis moving along the
 * Grassmann geodesic from span(A) (t = 0) to span(B) (t = 1). GeoDL uses it as the metric
 * {@code <x, y>_G = x^T G y} that compares old and new features along the whole path between the old
 * and the new feature subspaces.
 *
 * <p>Closed form, from the principal angles theta_i and principal vectors u_i (in A), v_i (in B): the
 * geodesic turns each u_i towards v_i in the plane of u_i and w_i = (v_i - cos theta_i u_i) / sin theta_i,
 * {@code phi_i(t) = cos(t theta_i) u_i + sin(t theta_i) w_i}, and these planes are mutually orthogonal,
 * so {@code G = sum_i a_i u_i u_i^T + b_i (u_i w_i^T + w_i u_i^T) + c_i w_i w_i^T} with
 * {@code a = 1/2 + sin(2 theta) / (4 theta)}, {@code b = sin^2(theta) / (2 theta)},
 * {@code c = 1/2 - sin(2 theta) / (4 theta)} (the integrals of cos^2, cos sin and sin^2 over t). This is
 * Gong et al.'s formula written in principal vectors instead of their generalised SVD. G is symmetric,
 * positive semi-definite, with trace d; for A = B it is the projector onto the subspace.
 */
public final class GeodesicFlowKernel {
    private GeodesicFlowKernel() { }

    /** Below this angle the plane of rotation is undefined and its terms (b ~ theta/2, c ~ theta^2/3) vanish. */
    private static final double TINY_ANGLE = 1e-12;

    /** G (D x D) for the column spaces of a and b, both D x d with independent columns. */
    public static double[][] of(double[][] a, double[][] b) {
        int d = Matrices.cols(a, "GeodesicFlowKernel: A");
        if (Matrices.cols(b, "GeodesicFlowKernel: B") != d) {
            throw new IllegalArgumentException("GeodesicFlowKernel: subspaces of different dimensions (" + d + " and " + b[0].length + ")");
        }
        PrincipalAngles pa = PrincipalAngles.of(a, b);
        int n = a.length;
        double[][] g = new double[n][n];
        double[][] u = pa.vectorsA(), v = pa.vectorsB();
        double[] ui = new double[n], wi = new double[n];
        for (int i = 0; i < d; i++) {
            double theta = pa.angles()[i];
            for (int r = 0; r < n; r++) ui[r] = u[r][i];
            if (theta < TINY_ANGLE) {
                addOuter(g, ui, ui, 1);
                continue;
            }
            double cos = Math.cos(theta), sin = Math.sin(theta);
            for (int r = 0; r < n; r++) wi[r] = (v[r][i] - cos * ui[r]) / sin;
            double s2 = Math.sin(2 * theta) / (4 * theta);
            addOuter(g, ui, ui, 0.5 + s2);
            addOuter(g, wi, wi, 0.5 - s2);
            double bCoef = sin * sin / (2 * theta);
            addOuter(g, ui, wi, bCoef);
            addOuter(g, wi, ui, bCoef);
        }
        return g;
    }

    private static void addOuter(double[][] g, double[] x, double[] y, double k) {
        for (int r = 0; r < x.length; r++) {
            double kx = k * x[r];
            if (kx == 0) continue;
            for (int c = 0; c < y.length; c++) g[r][c] += kx * y[c];
        }
    }
}
