using System;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// How the gateway derives a device's heartbeat key (docs/protocols/heartbeat-key.md):
    /// <c>HKDF-SHA256(IKM = gateway heartbeat secret, salt = certificate serial,
    /// info = "IoTSec heartbeat key v1" || 0x00 || device id, L = 32)</c> (RFC 5869).
    /// </summary>
    /// <remarks>
    /// Why derived rather than stored: the gateway keeps one 32-byte secret (sealed in its TPM)
    /// instead of a key table, and answers a repeated key request with the same key. Why the
    /// serial as salt: each certificate, so each enrolment and each renewal, gives a new key
    /// (a key epoch) without any state. Why the device id in info: a key is bound to one
    /// identity even if two certificates ever shared a serial. Only the gateway holds the
    /// secret, so nothing made at the factory can compute any device's key.
    /// </remarks>
    public static class HeartbeatKeyDerivation
    {
        /// <summary>Length of a heartbeat key.</summary>
        public const int KeyLength = 32;

        /// <summary>Length of the gateway heartbeat secret.</summary>
        public const int SecretLength = 32;

        /// <summary>Longest certificate serial: 20 octets (RFC 5280 §4.1.2.2).</summary>
        public const int MaxSerialLength = 20;

        /// <summary>Length of a key id.</summary>
        public const int KeyIdLength = 8;

        /// <summary>The HKDF info label; on the wire it is followed by 0x00 and the device id.</summary>
        public const string InfoLabel = "IoTSec heartbeat key v1";

        /// <summary>Derives a device's heartbeat key with the portable HMAC.</summary>
        /// <param name="secret">The gateway heartbeat secret (32 bytes).</param>
        /// <param name="deviceId">The device id (see <see cref="Topics.DeviceId"/>), as in its certificate.</param>
        /// <param name="certificateSerial">The serial of the device's current operational certificate: the content octets of the DER INTEGER, big-endian, as in the certificate (1-20 bytes, positive, minimal).</param>
        /// <returns>A new 32-byte key.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The secret is not 32 bytes, the device id is invalid, or the serial is not a positive minimal DER INTEGER of 1-20 octets.</exception>
        public static byte[] Derive(byte[] secret, string deviceId, byte[] certificateSerial)
        {
            return Derive(secret, deviceId, certificateSerial, PortableDigests.Instance);
        }

        /// <summary>Derives a device's heartbeat key.</summary>
        /// <param name="secret">The gateway heartbeat secret (32 bytes).</param>
        /// <param name="deviceId">The device id.</param>
        /// <param name="certificateSerial">The certificate serial's DER INTEGER content octets.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>A new 32-byte key.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">As for <see cref="Derive(byte[], string, byte[])"/>.</exception>
        public static byte[] Derive(byte[] secret, string deviceId, byte[] certificateSerial, IDigestProvider provider)
        {
            if (secret == null)
            {
                throw new ArgumentNullException("secret");
            }

            if (secret.Length != SecretLength)
            {
                throw new ArgumentException("the gateway heartbeat secret is 32 bytes, got " + secret.Length.ToString(), "secret");
            }

            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            string problem = SerialProblem(certificateSerial);
            if (problem.Length != 0)
            {
                throw new ArgumentException(problem, "certificateSerial");
            }

            return Hkdf.DeriveKey(secret, KeyLength, certificateSerial, BuildInfo(deviceId), provider);
        }

        /// <summary>The HKDF info: <see cref="InfoLabel"/> in ASCII, 0x00, the device id in UTF-8.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <returns>A new array.</returns>
        /// <exception cref="ArgumentException">The device id is invalid.</exception>
        public static byte[] BuildInfo(string deviceId)
        {
            if (!Topics.DeviceId.IsValid(deviceId))
            {
                throw new ArgumentException("device id " + Topics.DeviceId.Describe(deviceId) + " is invalid", "deviceId");
            }

            byte[] label = MacEnvelope.Label(InfoLabel);
            var info = new byte[label.Length + deviceId.Length];
            Array.Copy(label, info, label.Length);
            for (int i = 0; i < deviceId.Length; i++)
            {
                info[label.Length + i] = (byte)deviceId[i];
            }

            return info;
        }

        /// <summary>The key id: the first 8 bytes of SHA-256(key). It names a key epoch in logs and responses without revealing the key.</summary>
        /// <param name="key">A heartbeat key.</param>
        /// <returns>A new 8-byte array.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
        public static byte[] ComputeKeyId(byte[] key)
        {
            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            byte[] digest = Sha256.Hash(key);
            var id = new byte[KeyIdLength];
            Array.Copy(digest, id, KeyIdLength);
            return id;
        }

        /// <summary>
        /// What is wrong with a serial, or the empty string. A serial is the content of a DER
        /// INTEGER (X.690 §8.3): big-endian, minimal (no leading 0x00 unless the next byte has
        /// its top bit set), and positive as RFC 5280 §4.1.2.2 requires. Holding to that makes
        /// the salt one byte string per certificate. It also catches the little-endian array
        /// .NET's X509Certificate.GetSerialNumber() returns, but only about half the time
        /// (when its first byte looks negative or like padding): take SerialNumberBytes.
        /// </summary>
        internal static string SerialProblem(byte[] serial)
        {
            if (serial == null)
            {
                return "certificate serial is null";
            }

            if (serial.Length < 1 || serial.Length > MaxSerialLength)
            {
                return "certificate serial has " + serial.Length.ToString() + " bytes, 1 to 20 expected";
            }

            if ((serial[0] & 0x80) != 0)
            {
                return "certificate serial is negative (top bit set): not the big-endian DER INTEGER content of a serial";
            }

            if (serial.Length > 1 && serial[0] == 0 && (serial[1] & 0x80) == 0)
            {
                return "certificate serial has a superfluous leading zero byte (not minimal DER)";
            }

            if (serial.Length == 1 && serial[0] == 0)
            {
                return "certificate serial is zero; RFC 5280 requires a positive serial";
            }

            return string.Empty;
        }
    }
}
