/// The sizes a lesson may ask for. A lesson is played one step at a time, so these keep every
/// trace small enough to record instantly and to step through by hand; `Lessons/README.md`
/// repeats them for teachers.
public enum LessonLimits {
    /// Images per batch, channels, and filters.
    public static let maxBatch = 8
    public static let maxChannels = 8
    public static let maxFilters = 8
    /// Height and width of one channel of the input.
    public static let maxSide = 64
    /// Filter and pooling window sides.
    public static let maxWindow = 8
    /// Stride and dilation, each direction.
    public static let maxStride = 8
    /// Padding, each direction (also when computed by `same`).
    public static let maxPad = 8
    /// All cells of the input together, `B·C·H·W`.
    public static let maxInputCells = 4096
    /// Multiplications of one convolution (`M·C·FH·FW·B·OH·OW`), or cells read by one pooling
    /// (`B·C·OH·OW·PH·PW`): the number of arithmetic events of the largest phase.
    public static let maxMultiplyAdds = 65_536
    /// Steps a lesson may show: a lesson is played by hand, step by step, and `check` draws
    /// every frame; thousands of steps are free play's business, not a lesson's.
    public static let maxShownSteps = 2_000
    /// Largest magnitude of a value written in a lesson.
    public static let maxMagnitude = 1_000_000.0
    /// Longest cell name in a `symbols` list.
    public static let maxSymbolLength = 6
    /// Largest learning rate.
    public static let maxLearningRate = 10.0
    /// Largest lesson file, in bytes, and largest `.npy` file it may name.
    public static let maxFileBytes = 1 << 20
}
