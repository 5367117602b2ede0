using System;

namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// What a device presents and trusts in a mutual-TLS handshake: its certificate and
    /// private key (the birth pair before enrolment, the operational pair after), and the
    /// provisioned root its gateway chains to.
    /// </summary>
    public sealed class TlsClientCredentials
    {
        /// <summary>Creates the credentials.</summary>
        /// <param name="certificate">The device certificate, X.509 DER.</param>
        /// <param name="privateKey">Its private key, PKCS#8 DER (the platform converts to what its TLS stack takes).</param>
        /// <param name="trustAnchor">The root certificate the gateway must chain to, X.509 DER.</param>
        public TlsClientCredentials(byte[] certificate, byte[] privateKey, byte[] trustAnchor)
        {
            if (certificate == null || certificate.Length == 0)
            {
                throw new ArgumentException("A client certificate is required.", "certificate");
            }

            if (privateKey == null || privateKey.Length == 0)
            {
                throw new ArgumentException("A client private key is required.", "privateKey");
            }

            if (trustAnchor == null || trustAnchor.Length == 0)
            {
                throw new ArgumentException("A trust anchor is required: the device never trusts a gateway on first use.", "trustAnchor");
            }

            Certificate = certificate;
            PrivateKey = privateKey;
            TrustAnchor = trustAnchor;
        }

        /// <summary>The device certificate, X.509 DER.</summary>
        public byte[] Certificate { get; private set; }

        /// <summary>The private key, PKCS#8 DER. Never logged, never sent.</summary>
        public byte[] PrivateKey { get; private set; }

        /// <summary>The root the server's chain must end at, X.509 DER.</summary>
        public byte[] TrustAnchor { get; private set; }
    }
}
