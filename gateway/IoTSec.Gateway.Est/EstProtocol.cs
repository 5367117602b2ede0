namespace IoTSec.Gateway.Est;

/// <summary>The EST paths and media types this gateway serves (RFC 7030 §3.2.2, §4).</summary>
public static class EstProtocol
{
    /// <summary>The well-known prefix; the gateway serves one CA, so no CA label follows it.</summary>
    public const string Prefix = "/.well-known/est";

    /// <summary>GET: the CA certificates (offline root and this gateway's intermediate), RFC 7030 §4.1.</summary>
    public const string CaCertsPath = Prefix + "/cacerts";

    /// <summary>POST: first enrolment with the birth certificate, RFC 7030 §4.2.1.</summary>
    public const string SimpleEnrollPath = Prefix + "/simpleenroll";

    /// <summary>POST: renewal with the current operational certificate, RFC 7030 §4.2.2.</summary>
    public const string SimpleReenrollPath = Prefix + "/simplereenroll";

    /// <summary>POST: enrolment with a key the gateway generates, RFC 7030 §4.4.</summary>
    public const string ServerKeyGenPath = Prefix + "/serverkeygen";

    /// <summary>Request body of simpleenroll/simplereenroll/serverkeygen: a base64 DER PKCS#10 request.</summary>
    public const string Pkcs10MediaType = "application/pkcs10";

    /// <summary>Response to cacerts and enrolment: a base64 DER CMS SignedData without signers.</summary>
    public const string Pkcs7MediaType = "application/pkcs7-mime";

    /// <summary>The enrolment responses' full content type (RFC 7030 §4.2.3).</summary>
    public const string CertsOnlyContentType = Pkcs7MediaType + "; smime-type=certs-only";

    /// <summary>The server-generated private key's part in a serverkeygen response (RFC 7030 §4.4.2).</summary>
    public const string Pkcs8MediaType = "application/pkcs8";

    /// <summary>The header RFC 7030 uses to say bodies are base64 (RFC 2045 §6).</summary>
    public const string TransferEncodingHeader = "Content-Transfer-Encoding";

    /// <summary>The only transfer encoding EST uses.</summary>
    public const string Base64 = "base64";

    /// <summary>
    /// The CRL of this gateway's intermediate (DER, RFC 5280), on the EST listener. Like every
    /// path there it needs a client certificate the gateway accepts: the listener admits
    /// mutual TLS only, and the CRL is for devices and fleet tooling, not the public.
    /// </summary>
    public const string CrlPath = "/crl";

    /// <summary>The CRL's media type (RFC 2585).</summary>
    public const string CrlMediaType = "application/pkix-crl";
}
