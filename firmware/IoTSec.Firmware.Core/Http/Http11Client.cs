using System;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// A small HTTP/1.1 client over the device's mutual-TLS channel, for EST enrolment, the
    /// heartbeat key and OTA downloads. nanoFramework's HttpClient cannot present a client
    /// certificate, so the device speaks HTTP itself: one request per connection
    /// (<c>Connection: close</c>), every response parsed strictly by <see cref="HttpResponseReader"/>.
    /// </summary>
    /// <remarks>
    /// One request per connection costs a TLS handshake per request. Enrolment makes two or
    /// three requests a quarter, so keep-alive would save nothing worth its state; an OTA
    /// download in 16 KiB ranges pays one handshake (about 6 ms of gateway CPU, est.md) per chunk.
    /// </remarks>
    public sealed class Http11Client
    {
        private readonly ISecureChannelFactory _channels;
        private readonly string _host;
        private readonly int _port;
        private readonly TlsClientCredentials _credentials;
        private readonly int _timeoutMs;
        private readonly HttpLimits _limits;

        /// <summary>Creates a client for one gateway and one identity.</summary>
        /// <param name="channels">Opens the TLS connections (the server is checked against <see cref="TlsClientCredentials.TrustAnchor"/>).</param>
        /// <param name="host">The gateway's host name or address, as provisioned.</param>
        /// <param name="port">Its HTTPS port.</param>
        /// <param name="credentials">The certificate the device presents and the root it trusts.</param>
        /// <param name="timeoutMs">Longest time for the handshake and for each read.</param>
        /// <param name="limits">Default response limits.</param>
        public Http11Client(ISecureChannelFactory channels, string host, int port, TlsClientCredentials credentials, int timeoutMs, HttpLimits limits)
        {
            if (channels == null)
            {
                throw new ArgumentNullException("channels");
            }

            if (host == null || host.Length == 0 || !HttpSyntax.IsVisibleAscii(host))
            {
                throw new ArgumentException("A host name or address is required.", "host");
            }

            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException("port");
            }

            if (credentials == null)
            {
                throw new ArgumentNullException("credentials");
            }

            if (timeoutMs < 1)
            {
                throw new ArgumentOutOfRangeException("timeoutMs");
            }

            _channels = channels;
            _host = host;
            _port = port;
            _credentials = credentials;
            _timeoutMs = timeoutMs;
            _limits = limits == null ? HttpLimits.Default : limits;
        }

        /// <summary>The default response limits.</summary>
        public HttpLimits Limits
        {
            get { return _limits; }
        }

        /// <summary>Sends <paramref name="request"/> on a new connection and reads the whole response under the default limits.</summary>
        /// <param name="request">The request.</param>
        /// <returns>The response, whatever its status.</returns>
        /// <exception cref="NetworkException">Unreachable, handshake or certificate failure, timeout.</exception>
        /// <exception cref="HttpResponseRejectedException">The response is malformed or over a limit.</exception>
        public HttpResponse Send(HttpRequest request)
        {
            return Send(request, _limits);
        }

        /// <summary>Sends <paramref name="request"/> and reads the response under <paramref name="limits"/>.</summary>
        /// <param name="request">The request.</param>
        /// <param name="limits">Response limits for this request.</param>
        /// <returns>The response, whatever its status.</returns>
        /// <exception cref="NetworkException">Unreachable, handshake or certificate failure, timeout.</exception>
        /// <exception cref="HttpResponseRejectedException">The response is malformed or over a limit.</exception>
        public HttpResponse Send(HttpRequest request, HttpLimits limits)
        {
            if (request == null)
            {
                throw new ArgumentNullException("request");
            }

            if (limits == null)
            {
                throw new ArgumentNullException("limits");
            }

            byte[] head = EncodeHead(request);
            ISecureChannel channel = _channels.Connect(_host, _port, _credentials, _timeoutMs);
            try
            {
                channel.Write(head, 0, head.Length);
                if (request.Body.Length > 0)
                {
                    channel.Write(request.Body, 0, request.Body.Length);
                }

                return HttpResponseReader.Read(channel, limits, request.Method == "HEAD");
            }
            finally
            {
                channel.Close();
            }
        }

        private byte[] EncodeHead(HttpRequest request)
        {
            string head = request.Method + " " + request.Path + " HTTP/1.1\r\nHost: " + HostHeader() + "\r\n";
            for (int i = 0; i < request.HeaderCount; i++)
            {
                head += request.GetHeaderName(i) + ": " + request.GetHeaderValue(i) + "\r\n";
            }

            // RFC 9110 §8.6: a POST without a body still says Content-Length: 0, which Kestrel
            // otherwise answers with 411 for HTTP/1.1.
            if (request.Body.Length > 0 || request.Method == "POST" || request.Method == "PUT")
            {
                head += "Content-Length: " + request.Body.Length.ToString() + "\r\n";
            }

            head += "Connection: close\r\n\r\n";

            // Every character was checked to be ASCII when the request was built.
            byte[] bytes = new byte[head.Length];
            for (int i = 0; i < head.Length; i++)
            {
                bytes[i] = (byte)head[i];
            }

            return bytes;
        }

        private string HostHeader()
        {
            // An IPv6 literal goes in brackets (RFC 9110 §7.2, RFC 3986 §3.2.2).
            string host = _host.IndexOf(':') >= 0 && _host[0] != '[' ? "[" + _host + "]" : _host;
            return _port == 443 ? host : host + ":" + _port.ToString();
        }
    }
}
