using System;
using IoTSec.Firmware.Http;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Der;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Provisioning;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// The device's side of EST (RFC 7030) at its gateway, and the heartbeat-key fetch after it.
    /// The operational key comes from the gateway through <c>/serverkeygen</c> (ADR 0011):
    /// the first enrolment is authenticated by the birth certificate, each renewal by the
    /// current operational certificate; the gateway's certificate must chain to the
    /// provisioned gateway root (checked by the <see cref="ISecureChannelFactory"/>).
    /// </summary>
    public sealed class EnrolmentClient
    {
        /// <summary>Default time for a handshake and for each read: 30 s (an interpreter's TLS handshake on an ESP32 takes seconds).</summary>
        public const int DefaultTimeoutMs = 30000;

        private readonly ProvisionedIdentity _identity;
        private readonly ISecureChannelFactory _channels;
        private readonly IDeviceClock _clock;
        private readonly IFlashStore _flash;
        private readonly IDeviceLog _log;

        /// <summary>Creates the client.</summary>
        /// <param name="identity">The provisioned identity: device id, gateway address, trust anchors, birth certificate and key.</param>
        /// <param name="channels">Opens mutual-TLS connections.</param>
        /// <param name="platform">Random source for the backoff jitter.</param>
        /// <param name="clock">Waits between attempts.</param>
        /// <param name="flash">Where <see cref="OperationalCredentials"/> are persisted.</param>
        /// <param name="log">The device log (never given a key).</param>
        public EnrolmentClient(ProvisionedIdentity identity, ISecureChannelFactory channels, IDevicePlatform platform, IDeviceClock clock, IFlashStore flash, IDeviceLog log)
        {
            if (identity == null || channels == null || platform == null || clock == null || flash == null || log == null)
            {
                throw new ArgumentNullException(identity == null ? "identity" : channels == null ? "channels" : platform == null ? "platform" : clock == null ? "clock" : flash == null ? "flash" : "log");
            }

            _identity = identity;
            _channels = channels;
            _clock = clock;
            _flash = flash;
            _log = log;
            Backoff = new EnrolmentBackoff(platform, EnrolmentBackoff.DefaultBaseDelayMs, EnrolmentBackoff.DefaultMaxDelayMs);
            TimeoutMs = DefaultTimeoutMs;
        }

        /// <summary>The retry schedule of <see cref="EnsureEnrolled"/>.</summary>
        public EnrolmentBackoff Backoff { get; set; }

        /// <summary>Time for a handshake and for each read, in milliseconds.</summary>
        public int TimeoutMs { get; set; }

        /// <summary>Whether <paramref name="credentials"/> are due for renewal at <paramref name="nowUnixSeconds"/>: two thirds into their lifetime or later.</summary>
        /// <param name="credentials">The current credentials.</param>
        /// <param name="nowUnixSeconds">Trusted wall time (from the gateway's heartbeat acknowledgements), seconds since 1970.</param>
        /// <returns>True when a renewal is due.</returns>
        public static bool NeedsRenewal(OperationalCredentials credentials, long nowUnixSeconds)
        {
            if (credentials == null)
            {
                throw new ArgumentNullException("credentials");
            }

            return nowUnixSeconds >= credentials.RenewAtUnixSeconds;
        }

        /// <summary>
        /// First enrolment (or enrolment again after the operational key was lost): serverkeygen
        /// with the birth certificate, then the heartbeat key. Each result is persisted as soon as
        /// it is received. One attempt; see <see cref="EnsureEnrolled"/> for retries.
        /// </summary>
        /// <returns>The new credentials, with their heartbeat key.</returns>
        /// <exception cref="EnrolmentException">A step failed.</exception>
        public OperationalCredentials Enrol()
        {
            return FetchHeartbeatKey(EnrolWithBirthCertificate());
        }

        /// <summary>Renewal: serverkeygen authenticated by <paramref name="current"/>, then the new epoch's heartbeat key. One attempt.</summary>
        /// <param name="current">The current operational credentials.</param>
        /// <returns>The new credentials, with their heartbeat key.</returns>
        /// <exception cref="EnrolmentException">A step failed; <see cref="EnrolmentFailure.Refused"/> means the current certificate is no longer accepted (enrol with the birth certificate).</exception>
        public OperationalCredentials Renew(OperationalCredentials current)
        {
            if (current == null)
            {
                throw new ArgumentNullException("current");
            }

            return FetchHeartbeatKey(ServerKeyGen(current.ToTlsCredentials(GatewayRoot()), "renewal"));
        }

        /// <summary>Fetches the heartbeat key of <paramref name="credentials"/>' epoch (heartbeat-key.md) and persists it with them.</summary>
        /// <param name="credentials">Operational credentials (the birth certificate gets no key).</param>
        /// <returns>The credentials with the key.</returns>
        /// <exception cref="EnrolmentException">The fetch failed or the response was refused.</exception>
        public OperationalCredentials FetchHeartbeatKey(OperationalCredentials credentials)
        {
            if (credentials == null)
            {
                throw new ArgumentNullException("credentials");
            }

            var request = new HttpRequest(HeartbeatKeyExchange.Method, HeartbeatKeyExchange.Path).AddHeader("Accept", HeartbeatKeyExchange.ContentType);
            HttpResponse response = Send(credentials.ToTlsCredentials(GatewayRoot()), request, "heartbeat-key");
            try
            {
                if (response.StatusCode != 200)
                {
                    throw EstAnswer.Refusal("heartbeat-key", response);
                }

                string type = response.GetHeader("content-type");
                if (type == null || type.ToLower().IndexOf(HeartbeatKeyExchange.ContentType) != 0)
                {
                    throw EnrolmentException.Malformed("the heartbeat key response is not application/cbor", null);
                }

                HeartbeatKeyResponse key;
                try
                {
                    key = HeartbeatKeyResponse.Decode(response.Body, credentials.SerialNumber);
                }
                catch (HeartbeatKeyRejectedException e)
                {
                    throw new EnrolmentException(EnrolmentFailure.HeartbeatKeyRejected, 200, string.Empty, -1, e.Message, e);
                }

                byte[] keyId = key.GetKeyId();
                OperationalCredentials updated = credentials.WithHeartbeatKey(key.GetKey(), keyId);
                updated.Save(_flash);
                _log.Write("heartbeat key fetched: key id " + Hex(keyId) + " for certificate " + Hex(credentials.SerialNumber));
                return updated;
            }
            finally
            {
                Array.Clear(response.Body, 0, response.Body.Length);
            }
        }

        /// <summary>
        /// Brings the device to enrolled credentials with a heartbeat key, retrying transient
        /// failures with <see cref="Backoff"/>: loads what is stored; enrols with the birth
        /// certificate when nothing usable is stored or the certificate has expired; renews when due (when
        /// <paramref name="nowUnixSeconds"/> is known); fetches a missing heartbeat key. A
        /// renewal or key fetch refused for the operational certificate falls back, once, to
        /// enrolment with the birth certificate.
        /// </summary>
        /// <param name="nowUnixSeconds">Trusted wall time, or -1 when the device does not know it yet (no renewal check).</param>
        /// <param name="maxAttempts">Attempts before giving up (at least 1).</param>
        /// <returns>Credentials with a heartbeat key.</returns>
        /// <exception cref="EnrolmentException">A fatal failure, or the last transient one after <paramref name="maxAttempts"/>.</exception>
        public OperationalCredentials EnsureEnrolled(long nowUnixSeconds, int maxAttempts)
        {
            if (maxAttempts < 1)
            {
                throw new ArgumentOutOfRangeException("maxAttempts");
            }

            int failures = 0;
            bool birthFallbackUsed = false;
            bool forceBirth = false;
            while (true)
            {
                bool usedOperational = false;
                try
                {
                    OperationalCredentials credentials = forceBirth ? null : OperationalCredentials.Load(_flash);
                    if (credentials == null || credentials.SubjectCommonName != _identity.DeviceId)
                    {
                        credentials = EnrolWithBirthCertificate();
                        forceBirth = false;
                    }
                    else if (nowUnixSeconds >= 0 && nowUnixSeconds >= credentials.NotAfterUnixSeconds)
                    {
                        // Expired (the device was off past its renewal window): the gateway refuses
                        // the certificate in the TLS handshake, which looks like a network failure,
                        // so go straight to the birth certificate instead of retrying a renewal.
                        _log.Write("operational certificate expired; enrolling with the birth certificate");
                        credentials = EnrolWithBirthCertificate();
                    }
                    else if (nowUnixSeconds >= 0 && NeedsRenewal(credentials, nowUnixSeconds))
                    {
                        usedOperational = true;
                        credentials = ServerKeyGen(credentials.ToTlsCredentials(GatewayRoot()), "renewal");
                    }

                    if (!credentials.HasHeartbeatKey)
                    {
                        usedOperational = true;
                        credentials = FetchHeartbeatKey(credentials);
                    }

                    return credentials;
                }
                catch (EnrolmentException e)
                {
                    if (!e.IsTransient)
                    {
                        if (e.Reason == EnrolmentFailure.Refused && usedOperational && !birthFallbackUsed)
                        {
                            // The gateway no longer accepts the operational certificate (superseded,
                            // or its record lost at a restored gateway): enrol as on the first day.
                            _log.Write("operational certificate refused (" + e.CodeWord + "); enrolling with the birth certificate");
                            birthFallbackUsed = true;
                            forceBirth = true;
                            continue;
                        }

                        throw;
                    }

                    failures++;
                    if (failures >= maxAttempts)
                    {
                        throw;
                    }

                    int delay = Backoff.NextDelayMs(failures, e.RetryAfterSeconds);
                    _log.Write("enrolment attempt " + failures.ToString() + " failed (" + e.Message + "); retrying in " + delay.ToString() + " ms");
                    _clock.Sleep(delay);
                }
            }
        }

        private OperationalCredentials EnrolWithBirthCertificate()
        {
            return ServerKeyGen(new TlsClientCredentials(_identity.BirthCertificate, _identity.BirthKey, GatewayRoot()), "enrolment");
        }

        /// <summary>serverkeygen with an empty body (the device cannot sign a CSR; RFC 7030 §4.4.1 lets the server take the subject from the client certificate).</summary>
        private OperationalCredentials ServerKeyGen(TlsClientCredentials tls, string step)
        {
            HttpResponse response = Send(tls, new HttpRequest("POST", EstPaths.ServerKeyGen), step);
            ServerKeyGenResponse parts;
            try
            {
                if (response.StatusCode != 200)
                {
                    throw EstAnswer.Refusal(step, response);
                }

                parts = ServerKeyGenResponse.Parse(response.GetHeader("content-type"), response.Body);
            }
            finally
            {
                // The body holds the private key in base64.
                Array.Clear(response.Body, 0, response.Body.Length);
            }

            byte[] certificate = IssuedCertificate(CertsOnlyReader.Read(parts.CertsOnly));
            CheckKeyBelongsTo(parts.PrivateKey, certificate);
            OperationalCredentials credentials = new OperationalCredentials(certificate, parts.PrivateKey, null, null);
            credentials.Save(_flash);
            _log.Write(step + ": operational certificate " + Hex(credentials.SerialNumber) + " valid until " + credentials.NotAfterUnixSeconds.ToString() + " (renewal from " + credentials.RenewAtUnixSeconds.ToString() + ")");
            return credentials;
        }

        private byte[] IssuedCertificate(byte[][] certificates)
        {
            byte[] found = null;
            for (int i = 0; i < certificates.Length; i++)
            {
                X509CertificateInfo info;
                try
                {
                    info = X509CertificateInfo.Parse(certificates[i]);
                }
                catch (DerException e)
                {
                    throw EnrolmentException.Malformed("an issued certificate is not valid X.509: " + e.Message, e);
                }

                if (info.SubjectCommonName == _identity.DeviceId)
                {
                    if (found != null)
                    {
                        throw EnrolmentException.Mismatch("the response holds two certificates for this device");
                    }

                    if (info.NotAfter <= info.NotBefore)
                    {
                        throw EnrolmentException.Mismatch("the issued certificate's validity is empty");
                    }

                    found = certificates[i];
                }
            }

            if (found == null)
            {
                throw EnrolmentException.Mismatch("no certificate in the response is for device " + _identity.DeviceId);
            }

            return found;
        }

        internal static void CheckKeyBelongsTo(byte[] privateKey, byte[] certificate)
        {
            Pkcs8EcPublicKey key = Pkcs8EcPublicKey.Read(privateKey);
            X509CertificateInfo info = X509CertificateInfo.Parse(certificate);
            if (!ByteArrays.AreEqual(key.Curve, info.PublicKeyAlgorithmParameters) || !ByteArrays.AreEqual(key.Point, info.PublicKey))
            {
                throw EnrolmentException.Mismatch("the generated key does not belong to the issued certificate");
            }
        }

        private HttpResponse Send(TlsClientCredentials tls, HttpRequest request, string step)
        {
            var client = new Http11Client(_channels, _identity.Configuration.GatewayHost, _identity.Configuration.GatewayPort, tls, TimeoutMs, HttpLimits.Default);
            try
            {
                return client.Send(request);
            }
            catch (NetworkException e)
            {
                throw new EnrolmentException(EnrolmentFailure.GatewayUnreachable, 0, string.Empty, -1, step + ": " + e.Message, e);
            }
            catch (HttpResponseRejectedException e)
            {
                throw new EnrolmentException(EnrolmentFailure.ResponseMalformed, 0, string.Empty, -1, step + ": " + e.Message, e);
            }
        }

        private byte[] GatewayRoot()
        {
            TrustAnchorList anchors = _identity.TrustAnchors;
            for (int i = 0; i < anchors.Count; i++)
            {
                TrustAnchor anchor = anchors.Get(i);
                if (anchor.Kind == TrustAnchorKind.GatewayRoot)
                {
                    return anchor.GetValue();
                }
            }

            throw new EnrolmentException(EnrolmentFailure.NoGatewayTrustAnchor, 0, string.Empty, -1, "no gateway root among the provisioned trust anchors", null);
        }

        private static string Hex(byte[] bytes)
        {
            const string Digits = "0123456789abcdef";
            char[] chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
