using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Der;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// What enrolment gives a device: its operational certificate and private key, and — once
    /// fetched — the heartbeat key of that certificate's epoch. Persisted as one record
    /// (<see cref="RecordName"/>), so a power cut leaves either the old set or the new one.
    /// </summary>
    public sealed class OperationalCredentials
    {
        /// <summary>The record the credentials live in (RecordStore adds ".0" and ".1").</summary>
        public const string RecordName = "est-operational";

        private const byte FormatVersion = 1;
        private const long UnixEpochTicks = 621355968000000000L;

        private readonly byte[] _certificate;
        private readonly byte[] _privateKey;
        private readonly byte[] _heartbeatKey;
        private readonly byte[] _heartbeatKeyId;
        private readonly X509CertificateInfo _info;

        /// <summary>Creates credentials; the certificate is parsed with the shared DER reader.</summary>
        /// <param name="certificate">The operational certificate, X.509 DER.</param>
        /// <param name="privateKey">Its private key, PKCS#8 DER.</param>
        /// <param name="heartbeatKey">The 32-byte heartbeat key of this certificate's epoch, or null before it is fetched.</param>
        /// <param name="heartbeatKeyId">Its 8-byte key id, or null with <paramref name="heartbeatKey"/>.</param>
        /// <exception cref="DerException">The certificate is not valid DER X.509.</exception>
        public OperationalCredentials(byte[] certificate, byte[] privateKey, byte[] heartbeatKey, byte[] heartbeatKeyId)
        {
            if (certificate == null || certificate.Length == 0 || certificate.Length > 0xFFFF)
            {
                throw new ArgumentException("An operational certificate of 1 to 65535 bytes is required.", "certificate");
            }

            if (privateKey == null || privateKey.Length == 0 || privateKey.Length > 0xFFFF)
            {
                throw new ArgumentException("A private key of 1 to 65535 bytes is required.", "privateKey");
            }

            if ((heartbeatKey == null) != (heartbeatKeyId == null)
                || (heartbeatKey != null && (heartbeatKey.Length != 32 || heartbeatKeyId.Length != 8)))
            {
                throw new ArgumentException("A heartbeat key is 32 bytes with an 8-byte key id, or both are absent.", "heartbeatKey");
            }

            _info = X509CertificateInfo.Parse(certificate);
            _certificate = certificate;
            _privateKey = privateKey;
            _heartbeatKey = heartbeatKey;
            _heartbeatKeyId = heartbeatKeyId;
        }

        /// <summary>The certificate, X.509 DER.</summary>
        public byte[] Certificate
        {
            get { return _certificate; }
        }

        /// <summary>The private key, PKCS#8 DER. Never logged.</summary>
        public byte[] PrivateKey
        {
            get { return _privateKey; }
        }

        /// <summary>The heartbeat key, or null until it is fetched. Never logged.</summary>
        public byte[] HeartbeatKey
        {
            get { return _heartbeatKey; }
        }

        /// <summary>The heartbeat key's id (first 8 bytes of its SHA-256), or null. The heartbeat chain starts a new epoch when it changes.</summary>
        public byte[] HeartbeatKeyId
        {
            get { return _heartbeatKeyId; }
        }

        /// <summary>Whether the heartbeat key for this certificate is held.</summary>
        public bool HasHeartbeatKey
        {
            get { return _heartbeatKey != null; }
        }

        /// <summary>The certificate's serial (DER INTEGER content, big-endian): the heartbeat key's salt.</summary>
        public byte[] SerialNumber
        {
            get { return _info.SerialNumber; }
        }

        /// <summary>The certificate's subject CN (the device id).</summary>
        public string SubjectCommonName
        {
            get { return _info.SubjectCommonName; }
        }

        /// <summary>notBefore, seconds since 1970-01-01T00:00:00Z.</summary>
        public long NotBeforeUnixSeconds
        {
            get { return ToUnixSeconds(_info.NotBefore); }
        }

        /// <summary>notAfter, seconds since 1970-01-01T00:00:00Z.</summary>
        public long NotAfterUnixSeconds
        {
            get { return ToUnixSeconds(_info.NotAfter); }
        }

        /// <summary>
        /// When renewal is due: two thirds into the certificate's lifetime, leaving a third (30
        /// days of a 90-day certificate) for retries, outages and a device that was off.
        /// </summary>
        public long RenewAtUnixSeconds
        {
            get
            {
                long notBefore = NotBeforeUnixSeconds;
                return notBefore + ((NotAfterUnixSeconds - notBefore) * 2 / 3);
            }
        }

        /// <summary>These credentials with the heartbeat key of their epoch.</summary>
        /// <param name="key">The 32-byte key.</param>
        /// <param name="keyId">Its 8-byte id.</param>
        /// <returns>New credentials.</returns>
        public OperationalCredentials WithHeartbeatKey(byte[] key, byte[] keyId)
        {
            return new OperationalCredentials(_certificate, _privateKey, key, keyId);
        }

        /// <summary>The TLS credentials for the gateway: this certificate and key, and the gateway root.</summary>
        /// <param name="trustAnchor">The provisioned gateway root, X.509 DER.</param>
        /// <returns>The credentials.</returns>
        public TlsClientCredentials ToTlsCredentials(byte[] trustAnchor)
        {
            return new TlsClientCredentials(_certificate, _privateKey, trustAnchor);
        }

        /// <summary>Persists the credentials (atomically: a power cut leaves the previous set).</summary>
        /// <param name="flash">The device's flash.</param>
        public void Save(IFlashStore flash)
        {
            int hbLength = _heartbeatKey == null ? 0 : 32;
            int idLength = _heartbeatKeyId == null ? 0 : 8;
            byte[] record = new byte[1 + 2 + _certificate.Length + 2 + _privateKey.Length + 1 + hbLength + 1 + idLength];
            int at = 0;
            record[at++] = FormatVersion;
            at = PutBlock(record, at, _certificate, 2);
            at = PutBlock(record, at, _privateKey, 2);
            at = PutBlock(record, at, _heartbeatKey, 1);
            PutBlock(record, at, _heartbeatKeyId, 1);
            try
            {
                new RecordStore(flash, RecordName).Write(record);
            }
            finally
            {
                Array.Clear(record, 0, record.Length);
            }
        }

        /// <summary>
        /// Loads the persisted credentials. A record that does not decode (a format this firmware
        /// does not know, or damage the record's CRC missed) counts as none: the device then enrols
        /// again with its birth certificate, which the gateway allows (est.md).
        /// </summary>
        /// <param name="flash">The device's flash.</param>
        /// <returns>The credentials, or null.</returns>
        public static OperationalCredentials Load(IFlashStore flash)
        {
            byte[] record = new RecordStore(flash, RecordName).Read();
            if (record == null || record.Length < 1 || record[0] != FormatVersion)
            {
                return null;
            }

            try
            {
                int at = 1;
                byte[] certificate = GetBlock(record, ref at, 2);
                byte[] key = GetBlock(record, ref at, 2);
                byte[] heartbeatKey = GetBlock(record, ref at, 1);
                byte[] heartbeatKeyId = GetBlock(record, ref at, 1);
                if (certificate == null || key == null || at != record.Length)
                {
                    return null;
                }

                return new OperationalCredentials(certificate, key, heartbeatKey, heartbeatKeyId);
            }
            catch (DerException)
            {
                return null;
            }
            catch (ArgumentException)
            {
                return null;
            }
            finally
            {
                Array.Clear(record, 0, record.Length);
            }
        }

        /// <summary>Erases the persisted credentials (decommission, factory reset).</summary>
        /// <param name="flash">The device's flash.</param>
        public static void Erase(IFlashStore flash)
        {
            new RecordStore(flash, RecordName).Erase();
        }

        internal static long ToUnixSeconds(DateTime time)
        {
            return (time.Ticks - UnixEpochTicks) / TimeSpan.TicksPerSecond;
        }

        private static int PutBlock(byte[] record, int at, byte[] block, int lengthBytes)
        {
            int length = block == null ? 0 : block.Length;
            if (lengthBytes == 2)
            {
                record[at++] = (byte)(length >> 8);
            }

            record[at++] = (byte)length;
            if (block != null)
            {
                Array.Copy(block, 0, record, at, length);
            }

            return at + length;
        }

        private static byte[] GetBlock(byte[] record, ref int at, int lengthBytes)
        {
            if (at + lengthBytes > record.Length)
            {
                throw new ArgumentException("record cut short");
            }

            int length = record[at++];
            if (lengthBytes == 2)
            {
                length = (length << 8) | record[at++];
            }

            if (length == 0)
            {
                return null;
            }

            if (at + length > record.Length)
            {
                throw new ArgumentException("record cut short");
            }

            byte[] block = new byte[length];
            Array.Copy(record, at, block, 0, length);
            at += length;
            return block;
        }
    }
}
