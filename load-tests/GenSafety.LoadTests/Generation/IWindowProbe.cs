namespace GenSafety.LoadTests.Generation;

/// <summary>Told exactly when a measured window opens and closes (CPU-time readings hook in here).</summary>
internal interface IWindowProbe
{
    void OnWindowOpened();

    void OnWindowClosed();
}
