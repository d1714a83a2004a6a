package clipcl.tensor;

/**
 * One SGD step's settings as torch.optim.SGD defines them: d = g + weightDecay * p; with momentum
 * buf = first ? d : buf * momentum + (1 - dampening) * d and d = nesterov ? d + momentum * buf : buf;
 * then p -= lr * d. first marks the parameter's first update (the buffer starts as d).
 */
public record SgdStep(double lr, double momentum, double dampening, boolean nesterov, double weightDecay, boolean first) { }
