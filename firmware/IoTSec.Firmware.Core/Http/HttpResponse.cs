using System;

namespace IoTSec.Firmware.Http
{
    /// <summary>A complete, parsed HTTP/1.1 response: status, headers (names lower-cased) and the whole body.</summary>
    public sealed class HttpResponse
    {
        private readonly string[] _names;
        private readonly string[] _values;
        private readonly byte[] _body;

        /// <summary>Creates a response.</summary>
        /// <param name="statusCode">The status code, 200-599.</param>
        /// <param name="reasonPhrase">The reason phrase (informational).</param>
        /// <param name="names">Header names, lower-case.</param>
        /// <param name="values">Header values, trimmed, in the same order.</param>
        /// <param name="body">The body (empty when there is none).</param>
        public HttpResponse(int statusCode, string reasonPhrase, string[] names, string[] values, byte[] body)
        {
            if (names == null || values == null || names.Length != values.Length)
            {
                throw new ArgumentException("Header names and values must pair up.");
            }

            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase == null ? string.Empty : reasonPhrase;
            _names = names;
            _values = values;
            _body = body == null ? new byte[0] : body;
        }

        /// <summary>The status code.</summary>
        public int StatusCode { get; private set; }

        /// <summary>The reason phrase.</summary>
        public string ReasonPhrase { get; private set; }

        /// <summary>The body; the caller owns it.</summary>
        public byte[] Body
        {
            get { return _body; }
        }

        /// <summary>Number of header lines.</summary>
        public int HeaderCount
        {
            get { return _names.Length; }
        }

        /// <summary>Name of header <paramref name="index"/>, lower-case.</summary>
        /// <param name="index">0 to <see cref="HeaderCount"/> - 1.</param>
        /// <returns>The name.</returns>
        public string GetHeaderName(int index)
        {
            return _names[index];
        }

        /// <summary>Value of header <paramref name="index"/>.</summary>
        /// <param name="index">0 to <see cref="HeaderCount"/> - 1.</param>
        /// <returns>The value.</returns>
        public string GetHeaderValue(int index)
        {
            return _values[index];
        }

        /// <summary>The value of the first header named <paramref name="name"/> (any case), or null.</summary>
        /// <param name="name">The header name.</param>
        /// <returns>Its value, or null.</returns>
        public string GetHeader(string name)
        {
            string lower = name.ToLower();
            for (int i = 0; i < _names.Length; i++)
            {
                if (_names[i] == lower)
                {
                    return _values[i];
                }
            }

            return null;
        }

        /// <summary>Whether the status is 2xx.</summary>
        public bool IsSuccess
        {
            get { return StatusCode >= 200 && StatusCode <= 299; }
        }
    }
}
