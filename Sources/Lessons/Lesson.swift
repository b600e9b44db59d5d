public enum LessonsModule {}
