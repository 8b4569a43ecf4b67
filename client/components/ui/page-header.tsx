type PageHeaderProps = {
  title: string;
  intro?: string;
};

// The h1 can take focus (tabIndex -1) so that the layout moves focus here after client-side navigation.
export function PageHeader({ title, intro }: PageHeaderProps) {
  return (
    <div className="page-header">
      <h1 tabIndex={-1} className="page-header__title">
        {title}
      </h1>
      {intro ? <p className="page-header__intro">{intro}</p> : null}
    </div>
  );
}
