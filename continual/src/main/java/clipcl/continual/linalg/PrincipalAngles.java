package clipcl.continual.linalg;

/**
 * Principal angles between the column spaces of A (n x p) and B (n x q), k = min(p, q) of them in
 * ascending order, with the principal vectors that attain them: {@code cos(angles[i]) =
 * <vectorsA[:, i], vectorsB[:, i]>}.
 *
 * <p>Cosines come from the SVD of {@code Qa^T Qb} (Bjorck and Golub). A cosine close to 1 loses the
 * small angle to rounding (an angle of 1e-9 has a cosine of 1 - 5e-19), so angles below 45 degrees
 * are taken from the sines instead: the singular values of the part of the larger space's complement,
 * {@code Qb - Qa Qa^T Qb} (Knyazev and Argentati's rule, the one SciPy's subspace_angles uses).
 *
 * @param angles   k angles in radians, ascending, in [0, pi/2]
 * @param vectorsA n x k principal vectors in span(A), orthonormal
 * @param vectorsB n x k principal vectors in span(B), orthonormal
 */
public record PrincipalAngles(double[] angles, double[][] vectorsA, double[][] vectorsB) {

    public static PrincipalAngles of(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("PrincipalAngles: A has " + a.length + " rows, B has " + b.length + " (both must live in one space)");
        }
        double[][] qa = Qr.orthonormalBasis(a, "PrincipalAngles: A");
        double[][] qb = Qr.orthonormalBasis(b, "PrincipalAngles: B");
        boolean swap = qa[0].length < qb[0].length;
        // Work with the wider basis first so that the sines below cover all k = min(p, q) angles.
        double[][] wide = swap ? qb : qa, narrow = swap ? qa : qb;
        Svd cos = Svd.of(Matrices.transposeTimes(wide, narrow)); // p x q, k = q singular values
        int k = narrow[0].length;
        double[][] proj = Matrices.multiply(wide, Matrices.transposeTimes(wide, narrow));
        double[][] rest = new double[narrow.length][k];
        for (int i = 0; i < narrow.length; i++) for (int j = 0; j < k; j++) rest[i][j] = narrow[i][j] - proj[i][j];
        double[] sin = Svd.values(rest); // descending: the largest sine belongs to the largest angle
        double[] angles = new double[k];
        for (int i = 0; i < k; i++) {
            double c = Math.min(1, cos.s()[i]);
            double s = Math.min(1, sin[k - 1 - i]);
            angles[i] = c * c >= 0.5 ? Math.asin(s) : Math.acos(c);
        }
        double[][] wideVectors = Matrices.multiply(wide, cos.u());
        double[][] narrowVectors = Matrices.multiply(narrow, cos.v());
        return swap ? new PrincipalAngles(angles, narrowVectors, wideVectors) : new PrincipalAngles(angles, wideVectors, narrowVectors);
    }

    /** The angles alone, ascending. */
    public static double[] angles(double[][] a, double[][] b) {
        return of(a, b).angles();
    }
}
