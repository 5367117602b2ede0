using System.Security.Cryptography.X509Certificates;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The core's DER credentials as the certificate objects nanoFramework's TLS stack takes
    /// (for SslStream and for M2Mqtt alike), in NUL-terminated PEM.
    /// </summary>
    internal static class NanoTlsCredentials
    {
        /// <summary>The provisioned root the server must chain to.</summary>
        internal static X509Certificate TrustAnchor(TlsClientCredentials credentials)
        {
            return new X509Certificate(PemEncoding.Certificate(credentials.TrustAnchor));
        }

        /// <summary>
        /// The device certificate with its private key. nanoCLR parses the key at once (an
        /// unparsable key throws here, not in the handshake); the password is empty because the
        /// key is stored in clear (the board's storage encryption protects it, where there is one).
        /// </summary>
        internal static X509Certificate2 ClientCertificate(TlsClientCredentials credentials)
        {
            return new X509Certificate2(
                PemEncoding.Certificate(credentials.Certificate),
                PemEncoding.PrivateKey(credentials.PrivateKey),
                string.Empty);
        }
    }
}
