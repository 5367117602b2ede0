using System;
using System.Collections;

namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// One request for <see cref="Http11Client"/>: method, path, extra headers and body. Host,
    /// Content-Length and Connection are written by the client. Every field is checked for
    /// CR, LF and other control characters, so nothing can inject a header or a second request.
    /// </summary>
    public sealed class HttpRequest
    {
        private readonly ArrayList _names = new ArrayList();
        private readonly ArrayList _values = new ArrayList();

        /// <summary>Creates a request.</summary>
        /// <param name="method">An HTTP method token, e.g. "GET" or "POST".</param>
        /// <param name="path">An origin-form path starting with "/", without spaces or control characters.</param>
        public HttpRequest(string method, string path)
        {
            if (!HttpSyntax.IsToken(method))
            {
                throw new ArgumentException("The method must be an HTTP token.", "method");
            }

            if (path == null || path.Length == 0 || path[0] != '/' || !HttpSyntax.IsVisibleAscii(path))
            {
                throw new ArgumentException("The path must start with '/' and hold only visible ASCII.", "path");
            }

            Method = method;
            Path = path;
            Body = new byte[0];
        }

        /// <summary>The method.</summary>
        public string Method { get; private set; }

        /// <summary>The path.</summary>
        public string Path { get; private set; }

        /// <summary>The body (empty by default); sent with its Content-Length.</summary>
        public byte[] Body { get; private set; }

        /// <summary>Number of extra headers.</summary>
        public int HeaderCount
        {
            get { return _names.Count; }
        }

        /// <summary>Adds a header (not Host, Content-Length, Transfer-Encoding or Connection, which the client owns).</summary>
        /// <param name="name">An HTTP token.</param>
        /// <param name="value">Visible ASCII and spaces only.</param>
        /// <returns>This request.</returns>
        public HttpRequest AddHeader(string name, string value)
        {
            if (!HttpSyntax.IsToken(name))
            {
                throw new ArgumentException("A header name must be an HTTP token.", "name");
            }

            string lower = name.ToLower();
            if (lower == "host" || lower == "content-length" || lower == "transfer-encoding" || lower == "connection")
            {
                throw new ArgumentException("The client writes " + name + " itself.", "name");
            }

            if (value == null || !HttpSyntax.IsFieldValue(value))
            {
                throw new ArgumentException("Header " + name + ": the value must be visible ASCII and spaces.", "value");
            }

            _names.Add(name);
            _values.Add(value);
            return this;
        }

        /// <summary>Sets the body.</summary>
        /// <param name="body">The bytes (kept, not copied).</param>
        /// <returns>This request.</returns>
        public HttpRequest WithBody(byte[] body)
        {
            if (body == null)
            {
                throw new ArgumentNullException("body");
            }

            Body = body;
            return this;
        }

        /// <summary>Name of extra header <paramref name="index"/>.</summary>
        /// <param name="index">The index.</param>
        /// <returns>The name.</returns>
        public string GetHeaderName(int index)
        {
            return (string)_names[index];
        }

        /// <summary>Value of extra header <paramref name="index"/>.</summary>
        /// <param name="index">The index.</param>
        /// <returns>The value.</returns>
        public string GetHeaderValue(int index)
        {
            return (string)_values[index];
        }
    }
}
