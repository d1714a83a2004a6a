package clipcl.clip.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * The named character references clipcl decodes: a subset of the 2,231 of HTML5 (Python's
 * {@code html.entities.html5}). It holds all 252 of HTML 4.01 (Latin-1, Greek, math, arrows, typographic
 * punctuation; {@code lang}/{@code rang} with their HTML5 values U+27E8/U+27E9), {@code apos}, every
 * "legacy" name that HTML5 also accepts without a semicolon (so Python's longest-prefix rule, e.g.
 * {@code &notit;} -> {@code ¬it;}, works exactly), and the ASCII-punctuation and a few symbol names of
 * HTML5, and HTML5's all-capital names (so ftfy's all-caps rule sees the same names). Any other HTML5 name (e.g. {@code &bigstar;}, {@code &ThinSpace;}) is left as it is.
 */
final class HtmlEntityTable {
    private HtmlEntityTable() { }

    /** Latin-1 names for U+00A0..U+00FF in order; HTML5 accepts each with and without ';'. */
    private static final String LATIN1 = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg"
        + " macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest"
        + " Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml"
        + " ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig"
        + " agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml"
        + " eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

    /** Other legacy names (no ';' needed): name=code point. */
    private static final String LEGACY = "amp=38 lt=60 gt=62 quot=34 AMP=38 LT=60 GT=62 QUOT=34 COPY=169 REG=174";

    /** Names that need the ';': name=code point. */
    private static final String WITH_SEMICOLON = ""
        // HTML 4 special
        + "apos=39 OElig=338 oelig=339 Scaron=352 scaron=353 Yuml=376 circ=710 tilde=732 ensp=8194 emsp=8195"
        + " thinsp=8201 zwnj=8204 zwj=8205 lrm=8206 rlm=8207 ndash=8211 mdash=8212 lsquo=8216 rsquo=8217"
        + " sbquo=8218 ldquo=8220 rdquo=8221 bdquo=8222 dagger=8224 Dagger=8225 permil=8240 lsaquo=8249"
        + " rsaquo=8250 euro=8364"
        // HTML 4 Greek
        + " Alpha=913 Beta=914 Gamma=915 Delta=916 Epsilon=917 Zeta=918 Eta=919 Theta=920 Iota=921 Kappa=922"
        + " Lambda=923 Mu=924 Nu=925 Xi=926 Omicron=927 Pi=928 Rho=929 Sigma=931 Tau=932 Upsilon=933 Phi=934"
        + " Chi=935 Psi=936 Omega=937 alpha=945 beta=946 gamma=947 delta=948 epsilon=949 zeta=950 eta=951"
        + " theta=952 iota=953 kappa=954 lambda=955 mu=956 nu=957 xi=958 omicron=959 pi=960 rho=961 sigmaf=962"
        + " sigma=963 tau=964 upsilon=965 phi=966 chi=967 psi=968 omega=969 thetasym=977 upsih=978 piv=982"
        // HTML 4 symbols, arrows, math
        + " fnof=402 bull=8226 hellip=8230 prime=8242 Prime=8243 oline=8254 frasl=8260 weierp=8472 image=8465"
        + " real=8476 trade=8482 alefsym=8501 larr=8592 uarr=8593 rarr=8594 darr=8595 harr=8596 crarr=8629"
        + " lArr=8656 uArr=8657 rArr=8658 dArr=8659 hArr=8660 forall=8704 part=8706 exist=8707 empty=8709"
        + " nabla=8711 isin=8712 notin=8713 ni=8715 prod=8719 sum=8721 minus=8722 lowast=8727 radic=8730"
        + " prop=8733 infin=8734 ang=8736 and=8743 or=8744 cap=8745 cup=8746 int=8747 there4=8756 sim=8764"
        + " cong=8773 asymp=8776 ne=8800 equiv=8801 le=8804 ge=8805 sub=8834 sup=8835 nsub=8836 sube=8838"
        + " supe=8839 oplus=8853 otimes=8855 perp=8869 sdot=8901 lceil=8968 rceil=8969 lfloor=8970 rfloor=8971"
        + " lang=10216 rang=10217 loz=9674 spades=9824 clubs=9827 hearts=9829 diams=9830"
        // HTML5 ASCII punctuation and a few common symbols
        + " Tab=9 NewLine=10 excl=33 num=35 dollar=36 percnt=37 lpar=40 rpar=41 ast=42 plus=43 comma=44"
        + " period=46 sol=47 colon=58 semi=59 equals=61 quest=63 commat=64 lsqb=91 lbrack=91 bsol=92 rsqb=93"
        + " rbrack=93 Hat=94 lowbar=95 grave=96 lcub=123 lbrace=123 verbar=124 vert=124 rcub=125 rbrace=125"
        + " NonBreakingSpace=160 half=189 centerdot=183 hyphen=8208 dash=8208 mldr=8230 nldr=8229"
        + " ThinSpace=8201 lsquor=8218 rsquor=8217 ldquor=8222 rdquor=8221 star=9734 starf=9733 bigstar=9733"
        + " check=10003 cross=10007 phone=9742 female=9792 male=9794 flat=9837 natural=9838 sharp=9839"
        + " copysr=8471 TRADE=8482 DD=8517 ENG=330";

    /** Name (with ';' where HTML5 requires it) to its characters, as Python's html.entities.html5 spells it. */
    static final Map<String, String> ENTITIES = build();

    private static Map<String, String> build() {
        Map<String, String> m = new HashMap<>();
        String[] latin = LATIN1.split(" ");
        for (int i = 0; i < latin.length; i++) {
            String v = String.valueOf((char) (0xA0 + i));
            m.put(latin[i], v);
            m.put(latin[i] + ";", v);
        }
        for (String e : LEGACY.split(" ")) {
            String[] kv = e.split("=");
            String v = Character.toString(Integer.parseInt(kv[1]));
            m.put(kv[0], v);
            m.put(kv[0] + ";", v);
        }
        for (String e : WITH_SEMICOLON.split(" ")) {
            String[] kv = e.split("=");
            m.put(kv[0] + ";", Character.toString(Integer.parseInt(kv[1])));
        }
        return Map.copyOf(m);
    }
}
