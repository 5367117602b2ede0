using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// Mutual TLS 1.2 to the gateway over nanoFramework's SslStream (mbedTLS underneath): the
    /// client certificate and key go in as an X509Certificate2, the provisioned root as the only
    /// CA argument, and the host name is checked by mbedTLS against the server certificate.
    /// </summary>
    /// <remarks>
    /// Two limits of the platform, both in firmware/README.md: nanoCLR also trusts the CA
    /// certificates stored in the device's configuration block (keep that store empty: the
    /// boards' "empty-ca-store" hardening step); and mbedTLS checks certificate validity
    /// dates against the device's RTC, which the core sets from the gateway's acknowledged time.
    /// </remarks>
    public sealed class NanoSecureChannelFactory : ISecureChannelFactory
    {
        /// <inheritdoc />
        public ISecureChannel Connect(string host, int port, TlsClientCredentials credentials, int timeoutMs)
        {
            if (credentials == null)
            {
                throw new ArgumentNullException("credentials");
            }

            Socket socket = null;
            SslStream ssl = null;
            try
            {
                IPAddress address = Resolve(host);
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.ReceiveTimeout = timeoutMs;
                socket.SendTimeout = timeoutMs;
                socket.Connect(new IPEndPoint(address, port));

                ssl = new SslStream(socket);

                // The default, stated: a server certificate that does not chain to the CA below
                // (or to the configuration block's store) fails the handshake.
                ssl.SslVerification = SslVerification.CertificateRequired;
                X509Certificate trustAnchor = NanoTlsCredentials.TrustAnchor(credentials);
                X509Certificate2 client = NanoTlsCredentials.ClientCertificate(credentials);
                ssl.AuthenticateAsClient(host, client, trustAnchor, SslProtocols.Tls12);
                ssl.ReadTimeout = timeoutMs;

                NanoSecureChannel channel = new NanoSecureChannel(ssl);
                ssl = null;
                socket = null;
                return channel;
            }
            catch (SocketException e)
            {
                throw new NetworkException("TLS connection to " + host + ":" + port + " failed (socket error " + e.ErrorCode + ").", e);
            }
            catch (NetworkException)
            {
                throw;
            }
            catch (Exception e)
            {
                // nanoCLR's SslNative (nf-interpreter sys_net_native_System_Net_Security_SslNative.cpp)
                // fails a context it cannot set up (certificate or key not parsed) with CLR_E_FAIL,
                // a plain Exception, and bad arguments with ArgumentException; the core sees each
                // as the one failure its contract names, with the platform's error kept inside.
                throw new NetworkException("TLS connection to " + host + ":" + port + " failed: " + e.Message, e);
            }
            finally
            {
                if (ssl != null)
                {
                    ssl.Dispose();
                }
                else if (socket != null)
                {
                    socket.Close();
                }
            }
        }

        private static IPAddress Resolve(string host)
        {
            IPHostEntry entry = Dns.GetHostEntry(host);
            if (entry != null && entry.AddressList != null)
            {
                // nanoCLR lists addresses it cannot use (IPv6) as null entries (as M2Mqtt's
                // MqttNetworkChannel notes): take the first usable one.
                for (int i = 0; i < entry.AddressList.Length; i++)
                {
                    if (entry.AddressList[i] != null)
                    {
                        return entry.AddressList[i];
                    }
                }
            }

            throw new NetworkException("Gateway host '" + host + "' has no IPv4 address.");
        }
    }
}
