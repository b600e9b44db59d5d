import Storyboard
import CNcursesw
public enum TerminalModule {}
