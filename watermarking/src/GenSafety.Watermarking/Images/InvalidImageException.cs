namespace GenSafety.Watermarking.Images;

/// <summary>
/// Image bytes the scheme cannot mark or read: client input, so the gateway answers 400 with <see cref="Reason"/>.
/// Messages describe the input's shape only, never its content.
/// </summary>
public sealed class InvalidImageException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public InvalidImageException(InvalidImageReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with the default reason <see cref="InvalidImageReason.NotAnImage"/>.</summary>
    public InvalidImageException()
        : this(InvalidImageReason.NotAnImage, "The bytes are not an image.")
    {
    }

    /// <summary>Creates the exception with the default reason <see cref="InvalidImageReason.NotAnImage"/>.</summary>
    public InvalidImageException(string message)
        : this(InvalidImageReason.NotAnImage, message)
    {
    }

    /// <summary>Creates the exception with the default reason <see cref="InvalidImageReason.NotAnImage"/>.</summary>
    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = InvalidImageReason.NotAnImage;
    }

    /// <summary>Why the image was refused.</summary>
    public InvalidImageReason Reason { get; }
}
