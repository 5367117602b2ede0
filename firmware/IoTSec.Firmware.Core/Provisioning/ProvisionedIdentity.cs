using System;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// What the provisioning console committed, as the rest of the firmware reads it: the
    /// device's id and class, where its gateway is, what it trusts, and its birth credentials
    /// for the first enrolment.
    /// </summary>
    public sealed class ProvisionedIdentity
    {
        /// <summary>Creates the identity.</summary>
        /// <param name="deviceId">The device id (the birth certificate's subject CN).</param>
        /// <param name="configuration">Device class, gateway address and ports, heartbeat interval.</param>
        /// <param name="trustAnchors">The gateway root and the OTA signing key.</param>
        /// <param name="birthCertificate">The birth certificate, X.509 DER.</param>
        /// <param name="birthKey">Its private key, PKCS#8 DER.</param>
        public ProvisionedIdentity(string deviceId, ProvisioningConfiguration configuration, TrustAnchorList trustAnchors, byte[] birthCertificate, byte[] birthKey)
        {
            if (deviceId == null || deviceId.Length == 0)
            {
                throw new ArgumentException("A device id is required.", "deviceId");
            }

            if (configuration == null)
            {
                throw new ArgumentNullException("configuration");
            }

            if (trustAnchors == null)
            {
                throw new ArgumentNullException("trustAnchors");
            }

            if (birthCertificate == null || birthKey == null)
            {
                throw new ArgumentException("The birth certificate and key are required.");
            }

            DeviceId = deviceId;
            Configuration = configuration;
            TrustAnchors = trustAnchors;
            BirthCertificate = birthCertificate;
            BirthKey = birthKey;
        }

        /// <summary>The device id.</summary>
        public string DeviceId { get; private set; }

        /// <summary>Device class, gateway address and ports, heartbeat interval.</summary>
        public ProvisioningConfiguration Configuration { get; private set; }

        /// <summary>The gateway root (X.509) and the OTA signing key (COSE_Key).</summary>
        public TrustAnchorList TrustAnchors { get; private set; }

        /// <summary>The birth certificate, X.509 DER.</summary>
        public byte[] BirthCertificate { get; private set; }

        /// <summary>The birth private key, PKCS#8 DER. Never logged.</summary>
        public byte[] BirthKey { get; private set; }
    }
}
