package clipcl.continual.method;

/** FT: plain continual fine-tuning, the base objective alone, session after session. */
public final class FineTune implements Method {
    @Override
    public String name() { return "ft"; }
}
