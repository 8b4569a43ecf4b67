type StatusMessageProps = {
  children: string;
};

export function StatusMessage({ children }: StatusMessageProps) {
  return (
    <p className="status-message" role="status">
      {children}
    </p>
  );
}
